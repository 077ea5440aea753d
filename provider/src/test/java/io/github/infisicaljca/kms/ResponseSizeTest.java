package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.infisicaljca.kms.WireFixtures.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The size of an answer is bounded by what the API can legitimately send: refused on its
 * Content-Length before any of the body is read, cut at the cap when it comes chunked, with the
 * buffer never allocated past the cap; the largest legitimate answers still pass. An Error while
 * reading a body (out of memory) propagates and is never retried.
 */
class ResponseSizeTest {
    @RegisterExtension
    static WireMockExtension wm = newServer();

    private static final String KEY = KMS + "/" + TestSupport.KEY_ID;
    private static final int CAP = HttpTransport.MAX_RESPONSE_BYTES;

    /** A time bound no machine comes near: none of these tests is about time. */
    private static final Duration PATIENT = Duration.ofMinutes(1);

    private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();

    private static InfisicalConfig config(String url) {
        return TestSupport.config(url).allowInsecureHttp(true).accessToken(TestSupport.TOKEN)
                .requestTimeout(PATIENT).maxRetries(3).build();
    }

    /** A client's executor over a transport that allocates its body buffers with {@code allocator}. */
    private RequestExecutor executor(InfisicalConfig config, IntFunction<byte[]> allocator) {
        return new RequestExecutor(new HttpTransport(config, allocator), new StaticTokenSource(Secret.of(TestSupport.TOKEN)),
                RetryPolicy.standard(config.maxRetries()), new RateLimiter(System::nanoTime, sleeper),
                config.requestTimeout(), sleeper, System::nanoTime);
    }

    private static ApiCall encryptCall() {
        return ApiCall.post("encrypt", TestSupport.KEY_ID, "/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt",
                Json.object().put("plaintext", "AQID"));
    }

    /**
     * A server on a raw socket: answers every request with {@code head} and then {@code body}
     * (which may write forever; a closed connection ends it), counting the requests.
     */
    private static final class RawServer implements AutoCloseable {
        interface Body {
            void write(OutputStream out) throws IOException;
        }

        final ServerSocket socket;
        final AtomicInteger requests = new AtomicInteger();
        private final Thread thread;

        RawServer(String head, Body body) throws IOException {
            socket = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        readRequest(s.getInputStream());
                        requests.incrementAndGet();
                        OutputStream out = s.getOutputStream();
                        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                        body.write(out);
                        out.flush();
                    } catch (IOException closed) {
                        // the client hung up, or the test is over
                    }
                }
            }, "raw-server");
            thread.setDaemon(true);
            thread.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        /** Up to the end of the headers, then the Content-Length of body. */
        private static void readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("request cut short");
                }
                head.append((char) c);
            }
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    in.readNBytes(Integer.parseInt(line.substring(15).strip()));
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aContentLengthOverTheCapIsRefusedBeforeTheBodyIsRead() throws Exception {
        // One byte of the announced gigabyte, then silence: a client that reads the body waits for the rest.
        try (RawServer server = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1073741824\r\n\r\n", out -> {
                    out.write('{');
                    out.flush();
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })) {
            KmsException e = assertThrows(KmsException.class,
                    () -> executor(config(server.url()), byte[]::new).execute(encryptCall()));
            assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind(), e.toString());
            assertTrue(e.getMessage().contains("1073741824") && e.getMessage().contains(String.valueOf(CAP)),
                    e.getMessage());
            assertEquals(1, server.requests.get(), "not retried");
        }
    }

    @Test
    void aChunkedBodyPastTheCapIsCutAndItsBufferNeverPassesTheCap() throws Exception {
        byte[] chunk = ("8000\r\n" + "x".repeat(0x8000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (RawServer server = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", out -> {
                    for (int i = 0; i < 1 << 15; i++) { // a gigabyte, unless the client hangs up first
                        out.write(chunk);
                    }
                })) {
            List<Integer> allocations = new java.util.concurrent.CopyOnWriteArrayList<>();
            KmsException e = assertThrows(KmsException.class, () -> executor(config(server.url()), n -> {
                allocations.add(n);
                return new byte[n];
            }).execute(encryptCall()));
            assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind(), e.toString());
            assertTrue(e.getMessage().contains("exceeds " + CAP + " bytes"), e.getMessage());
            assertEquals(1, server.requests.get(), "not retried");
            assertTrue(!allocations.isEmpty() && allocations.stream().allMatch(n -> n <= CAP),
                    "buffers of " + allocations + " bytes for a cap of " + CAP);
        }
    }

    /**
     * The largest answer the API can give: a decrypt on the newest servers, whose ciphertext may
     * have 1 MiB + 1024 bytes, so its plaintext 1 MiB + 993 (about 1.4 MB in base64).
     */
    @Test
    void theLargestLegitimateAnswerPasses() throws Exception {
        byte[] ciphertext = new byte[(1 << 20) + 1024];
        byte[] plaintext = new byte[ciphertext.length - 31];
        Arrays.fill(plaintext, (byte) 0x5a);
        wm.stubFor(any(urlEqualTo(KEY + "/decrypt")).willReturn(ok("{\"plaintext\":\""
                + Base64.getEncoder().encodeToString(plaintext) + "\",\"keyId\":\"" + TestSupport.KEY_ID + "\"}")));
        try (KmsClient c = KmsClient.create(config(wm.baseUrl()), sleeper, System::nanoTime)) {
            assertArrayEquals(plaintext, c.decrypt(TestSupport.KEY_ID, ciphertext));
        }
    }

    /** A full page of 100 keys with the longest descriptions (500 characters, each escaped as six). */
    @Test
    void theLargestKeyListingPagePasses() throws Exception {
        String description = "\\u0001".repeat(500);
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            keys.append(i == 0 ? "" : ",").append(keyJson(keyId(i), "k-" + "n".repeat(28) + String.format("%02d", i),
                    "aes-256-gcm", "encrypt-decrypt").replace("\"description\":null", "\"description\":\""
                            + description + "\""));
        }
        wm.stubFor(any(urlPathEqualTo(KMS)).willReturn(ok("{\"keys\":[" + keys + "],\"totalCount\":100}")));
        try (KmsClient c = KmsClient.create(config(wm.baseUrl()), sleeper, System::nanoTime)) {
            assertEquals(100, c.listKeys(TestSupport.PROJECT_ID).size());
        }
    }

    @Test
    void anErrorWhileReadingTheBodyPropagatesAndIsNotRetried() {
        wm.stubFor(any(urlEqualTo(KEY + "/encrypt")).willReturn(ok("{\"ciphertext\":\"AQID\"}")));
        OutOfMemoryError oom = new OutOfMemoryError("test: no room for the body");
        OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, () -> executor(config(wm.baseUrl()), n -> {
            throw oom;
        }).execute(encryptCall()));
        assertSame(oom, thrown);
        assertEquals(1, wm.getAllServeEvents().size(), "not retried");
        assertEquals(List.of(), sleeper.waits);
    }

    /** The login that met the Error must not stay "in flight": the next caller logs in again instead of waiting for it. */
    @Test
    void anErrorDuringALoginLeavesNoLoginHanging() {
        wm.stubFor(any(urlEqualTo("/api/v1/auth/universal-auth/login"))
                .willReturn(ok("{\"accessToken\":\"tok-1\",\"expiresIn\":3600,\"accessTokenMaxTTL\":86400}")));
        InfisicalConfig config = config(wm.baseUrl());
        RequestExecutor auth = new RequestExecutor(new HttpTransport(config, n -> {
            throw new OutOfMemoryError("test");
        }), null, RetryPolicy.standard(3), new RateLimiter(System::nanoTime, sleeper), config.requestTimeout(), sleeper,
                System::nanoTime);
        UniversalAuthTokenSource tokens = new UniversalAuthTokenSource(new AuthApi(auth), TestSupport.CLIENT_ID,
                Secret.of(TestSupport.CLIENT_SECRET), System::nanoTime, System::nanoTime);
        long deadline = System.nanoTime() + PATIENT.toNanos();
        assertThrows(OutOfMemoryError.class, () -> tokens.token(deadline));
        assertThrows(OutOfMemoryError.class, () -> tokens.token(deadline), "a second login, not a wait for the first");
        assertEquals(2, wm.getAllServeEvents().size());
    }
}
