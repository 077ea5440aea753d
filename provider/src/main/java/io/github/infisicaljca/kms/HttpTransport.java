package io.github.infisicaljca.kms;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.Version;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * One {@link HttpClient} per configuration (so connections are pooled and reused), and one
 * exchange at a time under a hard deadline. The deadline covers the whole exchange, body
 * included: {@link HttpRequest#timeout} alone stops at the response headers and would let a
 * slowly dribbled body hold the caller forever.
 */
final class HttpTransport {
    /**
     * The most any answer of the API can hold, with margin: 2 MiB. The largest are on the newest
     * servers, which cap plaintext and data at 1 MiB and ciphertext at 1 MiB + 1024 bytes (the
     * others cap every field at 4096): a decrypt's plaintext of up to 1 MiB + 993 bytes is
     * 1,399,428 characters of base64, an encrypt's ciphertext (plaintext + 31) 1,398,144; a page of
     * key listing is 100 keys of at most about 3.5 KB each (a 32-character name, a description of
     * 500 characters that JSON may escape to six bytes each, the fixed fields), about 350 KB;
     * signatures (at most 8192 bytes), public keys, MACs and error bodies are a few KB. So 1.4 MB
     * is the largest legitimate answer, and anything past 2 MiB is refused unread.
     */
    static final int MAX_RESPONSE_BYTES = 2 << 20;

    static final String USER_AGENT = "infisical-jca/" + Version.current();

    private final HttpClient client;
    private final URI apiUrl;
    private final IntFunction<byte[]> allocator;

    HttpTransport(InfisicalConfig config) {
        this(config, byte[]::new);
    }

    /** @param allocator makes the body buffers (tests see or fail the allocations) */
    HttpTransport(InfisicalConfig config, IntFunction<byte[]> allocator) {
        this.allocator = allocator;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // HTTP/1.1 keep-alive: what Infisical and the proxies in front of it speak everywhere,
                // and no h2c upgrade dance on plain-http test servers.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!config.caCertificates().isEmpty()) {
            builder.sslContext(sslContextTrusting(config));
        }
        this.client = builder.build();
        this.apiUrl = config.apiUrl();
    }

    /** @param sent the request body's length (for telemetry) */
    record Response(int status, HttpHeaders headers, byte[] body, int sent) {
        Response(int status, HttpHeaders headers, byte[] body) {
            this(status, headers, body, 0);
        }

        boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    Response exchange(ApiCall call, String bearerToken, long deadlineNanos) throws KmsException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw timeout(call, null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + call.path()))
                .timeout(Duration.ofNanos(remaining))
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        int sent = 0;
        if (call.body() != null) {
            byte[] json = Json.bytes(call.body());
            sent = json.length;
            request.header("Content-Type", "application/json")
                    .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(json));
        } else {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        // The blocking send, not sendAsync: sendAsync completes its future through the client's
        // executor, one more thread hand-off per call, which measured at about 0.2 ms (twice the
        // whole loopback round trip). The body's share of the deadline is the subscriber's.
        // The handler must not capture this transport: the client's connections may hold it after
        // the exchange, and through this transport's field the client would then reach itself and
        // never be collected (on JDK 17 its threads and connections end only then).
        IntFunction<byte[]> bodyBuffers = allocator;
        try {
            HttpResponse<byte[]> response = client.send(request.build(), info -> new LimitedBodySubscriber(
                    MAX_RESPONSE_BYTES, deadlineNanos, declaredLength(info.headers()), bodyBuffers));
            return new Response(response.statusCode(), response.headers(), response.body(), sent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // send has cancelled the exchange
            throw new KmsException(KmsException.Kind.INTERRUPTED, call.operation(), call.keyId(),
                    "interrupted while waiting for the server", e);
        } catch (IOException e) {
            rethrowError(e);
            throw transportFailure(call, e, SentValues.masker(call, bearerToken));
        }
    }

    /** HttpClient is AutoCloseable from JDK 21 on; on 17 its threads end when it is unreachable. */
    void close() {
        if (client instanceof AutoCloseable) {
            try {
                ((AutoCloseable) client).close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }

    private KmsException timeout(ApiCall call, Throwable cause) {
        return new KmsException(KmsException.Kind.TIMEOUT, call.operation(), call.keyId(),
                "no complete answer from " + apiUrl.getHost() + " within the request timeout "
                        + "(infisical.requestTimeoutMillis)", cause);
    }

    /**
     * The JDK's text for a failed exchange may quote what the server sent (an unreadable status
     * line, verbatim), and a server can send back what it was sent: {@code mask} hides that, in
     * the message and in the cause kept.
     */
    private KmsException transportFailure(ApiCall call, IOException failure, UnaryOperator<String> mask) {
        String host = apiUrl.getHost();
        Throwable cause = scrubbed(failure, mask);
        if (failure instanceof HttpConnectTimeoutException) {
            return new KmsException(KmsException.Kind.CONNECT, call.operation(), call.keyId(),
                    "cannot connect to " + host + " within infisical.connectTimeoutMillis", cause);
        }
        if (failure instanceof HttpTimeoutException) {
            return timeout(call, cause);
        }
        if (isUnresolvedHost(failure)) {
            return new KmsException(KmsException.Kind.CONNECT, call.operation(), call.keyId(),
                    "the host name " + host + " does not resolve (no such name, or no DNS answer): check "
                            + "infisical.url (INFISICAL_URL)", cause);
        }
        if (failure instanceof ConnectException) {
            return new KmsException(KmsException.Kind.CONNECT, call.operation(), call.keyId(),
                    "cannot connect to " + host + (apiUrl.getPort() > 0 ? ":" + apiUrl.getPort() : "")
                            + " (" + failure.getClass().getSimpleName() + ")", cause);
        }
        if (failure instanceof SSLException) {
            // A TLS failure is not transient: retrying cannot make an untrusted certificate trusted.
            return new KmsException(KmsException.Kind.CONNECT, call.operation(), call.keyId(),
                    "TLS handshake with " + host + " failed (is the server's CA in infisical.caCertPath?): "
                            + mask.apply(failure.getMessage()), cause);
        }
        IOException tooLarge = LimitedBodySubscriber.tooLarge(failure);
        if (tooLarge != null) {
            return new KmsException(KmsException.Kind.MALFORMED_RESPONSE, call.operation(), call.keyId(),
                    tooLarge.getMessage(), cause);
        }
        return new KmsException(KmsException.Kind.IO, call.operation(), call.keyId(),
                "connection to " + host + " failed: " + failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : " (" + mask.apply(failure.getMessage()) + ")"), cause);
    }

    /** The failure, or when a text in its chain held something masked, a copy of it without. */
    private static Throwable scrubbed(Throwable failure, UnaryOperator<String> mask) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = t.getMessage();
            if (text != null && !text.equals(mask.apply(text))) {
                IOException copy = new IOException(mask.apply(failure.toString()));
                copy.setStackTrace(failure.getStackTrace());
                return copy;
            }
        }
        return failure;
    }

    /** The Content-Length, or -1 when there is none (chunked) or it is not a number (the JDK's parser judges it). */
    private static long declaredLength(HttpHeaders headers) {
        try {
            return headers.firstValueAsLong("content-length").orElse(-1);
        } catch (NumberFormatException unreadable) {
            return -1;
        }
    }

    /**
     * HttpClient reports whatever a body subscriber threw as an IOException's cause, an Error
     * included: an OutOfMemoryError must reach the caller as itself, never as an I/O failure that
     * the retry policy would try again.
     */
    private static void rethrowError(IOException failure) {
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof Error) {
                throw (Error) t;
            }
        }
    }

    /** The API's host name did not resolve: the JDK says so with one of these, wrapped or not. */
    static boolean isUnresolvedHost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static SSLContext sslContextTrusting(InfisicalConfig config) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (X509Certificate cert : config.caCertificates()) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context from infisical.caCertPath", e);
        }
    }
}
