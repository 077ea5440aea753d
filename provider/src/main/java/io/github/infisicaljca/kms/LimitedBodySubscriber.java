package io.github.infisicaljca.kms;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Collects a response body as bytes, refusing (and cancelling) one larger than a cap or one
 * still incomplete at the deadline: {@link java.net.http.HttpRequest#timeout} stops at the
 * response headers, and a server dribbling its body must not hold the caller past it.
 *
 * <p>The buffer never passes the cap: a body whose Content-Length is over it is refused before
 * any of it is read, one with a Content-Length gets a buffer of exactly that size, and one
 * without (chunked) grows by doubling up to the cap, no further.
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private static final int FIRST_BUFFER = 8 << 10;

    private final int limit;
    private final long deadlineNanos;
    private final long declaredLength;
    private final IntFunction<byte[]> allocator;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buffer;
    private int size;

    /**
     * @param declaredLength the Content-Length, or -1 when the response has none
     * @param allocator      makes the buffer (tests see or fail its allocations)
     */
    LimitedBodySubscriber(int limit, long deadlineNanos, long declaredLength, IntFunction<byte[]> allocator) {
        this.limit = limit;
        this.deadlineNanos = deadlineNanos;
        this.declaredLength = declaredLength;
        this.allocator = allocator;
    }

    /** The refusal of a body over the cap in {@code failure}'s chain, or null. */
    static IOException tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ResponseTooLargeException) {
                return (IOException) t;
            }
        }
        return null;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (declaredLength > limit) {
            s.cancel();
            result.completeExceptionally(new ResponseTooLargeException("the response announces a body of "
                    + declaredLength + " bytes (Content-Length), more than the " + limit
                    + " any answer of the API can have"));
            return;
        }
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
        if (result.isDone()) {
            return;
        }
        try {
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if (n > limit - size) {
                    subscription.cancel();
                    result.completeExceptionally(new ResponseTooLargeException("the response body exceeds " + limit
                            + " bytes, more than any answer of the API can have"));
                    return;
                }
                ensureRoom(n);
                item.get(buffer, size, n);
                size += n;
            }
        } catch (Throwable t) {
            // Out of memory, say: the exchange is abandoned, and the caller gets the Error itself
            // (HttpTransport unwraps it) rather than the client's threads.
            subscription.cancel();
            result.completeExceptionally(t);
        }
    }

    private void ensureRoom(int n) {
        int needed = size + n;
        if (buffer != null && needed <= buffer.length) {
            return;
        }
        int capacity;
        if (buffer == null && declaredLength >= 0) {
            capacity = (int) declaredLength; // within the limit: checked at onSubscribe
        } else {
            int current = buffer == null ? FIRST_BUFFER / 2 : buffer.length;
            capacity = (int) Math.min(limit, Math.max((long) needed, 2L * current));
        }
        byte[] grown = allocator.apply(Math.max(capacity, needed));
        if (buffer != null) {
            System.arraycopy(buffer, 0, grown, 0, size);
        }
        buffer = grown;
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        if (buffer == null) {
            result.complete(new byte[0]);
        } else {
            result.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
        }
    }

    /** The body passed the cap; the exchange is abandoned. */
    static final class ResponseTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        ResponseTooLargeException(String message) {
            super(message);
        }
    }
}
