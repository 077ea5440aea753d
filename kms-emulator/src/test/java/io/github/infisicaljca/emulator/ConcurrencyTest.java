package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.b64;
import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of requests in flight at once, each held by injected latency: the emulator must
 * answer every one correctly (it must never be the bottleneck of a concurrency benchmark).
 */
class ConcurrencyTest {
    @Test
    void threeHundredConcurrentConnectionsAllGetTheirOwnAnswer() throws Exception {
        try (KmsEmulator kms = KmsEmulator.builder().seedKeys(false).start()) {
            String key = kms.importKey("aes", "aes-256-gcm", new byte[32]);
            String token = new ApiClient(kms).login(kms).token();
            kms.latency(Duration.ofMillis(200), Duration.ofMillis(400));
            // One client, many connections: HTTP/1.1 opens one per request in flight.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            int n = 300;
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] plaintext = ByteBuffer.allocate(4).putInt(i).array();
                HttpRequest r = HttpRequest.newBuilder(kms.url().resolve("/api/v1/kms/keys/" + key + "/encrypt"))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(obj().put("plaintext", b64(plaintext)).toString())).build();
                inFlight.add(http.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
            }
            kms.clearFaults();
            ApiClient api = new ApiClient(kms).token(token);
            for (int i = 0; i < n; i++) {
                HttpResponse<String> resp = inFlight.get(i).join();
                assertEquals(200, resp.statusCode(), resp.body());
                String ct = ApiClient.JSON.readTree(resp.body()).path("ciphertext").asText();
                byte[] back = api.op(key, "decrypt", obj().put("ciphertext", ct)).bytes("plaintext");
                assertArrayEquals(ByteBuffer.allocate(4).putInt(i).array(), back, "answer " + i + " is its own");
            }
            assertEquals(n * 2 + 1, kms.requests().size());
        }
    }
}
