package io.github.infisicaljca.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The baseline of the remote figures: the JDK's {@link HttpClient}, nothing else, posting a
 * fixed JSON body to one key operation of the emulator with a bearer token, HTTP/1.1
 * keep-alive and the provider's default timeouts. What a hand-written client would do at best.
 */
final class RawPost {
    private final HttpClient client;
    private final HttpRequest request;
    private final String body;

    RawPost(BenchFixture fixture, String keyId, String operation, String body) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.body = body;
        this.request = HttpRequest.newBuilder(URI.create(fixture.kms().url() + "/api/v1/kms/keys/" + keyId + "/"
                        + operation))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + fixture.kms().issueToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The response body; anything but 200 is an error, so a failing baseline never looks fast. */
    byte[] send() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("the raw " + request.uri().getPath() + " answered " + r.statusCode());
        }
        return r.body();
    }

    String body() {
        return body;
    }
}
