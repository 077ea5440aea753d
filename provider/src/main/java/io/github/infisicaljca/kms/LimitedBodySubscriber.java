package io.github.infisicaljca.kms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body as bytes, refusing (and cancelling) one larger than a cap or one
 * still incomplete at the deadline: {@link java.net.http.HttpRequest#timeout} stops at the
 * response headers, and a server dribbling its body must not hold the caller past it.
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final long deadlineNanos;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBodySubscriber(int limit, long deadlineNanos) {
        this.limit = limit;
        this.deadlineNanos = deadlineNanos;
    }

    /** Whether {@code failure}, or one of its causes, is a body over the cap. */
    static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ResponseTooLargeException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        // A timer that the body's completion cancels (orTimeout's own canceller), so none is
        // left queued for the rest of the deadline.
        CompletableFuture<Void> timer = new CompletableFuture<Void>()
                .orTimeout(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        timer.whenComplete((v, expired) -> {
            if (expired != null && result.completeExceptionally(
                    new HttpTimeoutException("the response body did not arrive within the request timeout"))) {
                s.cancel();
            }
        });
        result.whenComplete((body, failure) -> timer.complete(null));
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer item : items) {
            if (buffer.size() + item.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(new ResponseTooLargeException(limit));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            buffer.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toByteArray());
    }

    /** The body passed the cap; the exchange is abandoned. */
    static final class ResponseTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        ResponseTooLargeException(int limit) {
            super("the response body exceeds " + limit + " bytes");
        }
    }
}
