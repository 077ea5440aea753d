package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/**
 * A deliberately plain HTTP client for the protocol tests: raw JSON over real sockets, nothing
 * shared with the provider's client, so the emulator is checked against the API text alone.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, JsonNode body, java.net.http.HttpHeaders headers) {
        String text(String field) {
            return body.path(field).asText(null);
        }

        /** A response header's value, or null. */
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        byte[] bytes(String field) {
            return Base64.getDecoder().decode(body.path(field).asText());
        }
    }

    private final URI base;
    private String token;

    ApiClient(KmsEmulator kms) {
        this.base = kms.url();
    }

    /** Logs in as the emulator's identity and uses the token from then on. */
    ApiClient login(KmsEmulator kms) throws Exception {
        Answer a = post("/api/v1/auth/universal-auth/login", obj().put("clientId", kms.clientId())
                .put("clientSecret", kms.clientSecret()));
        if (a.status() != 200) {
            throw new AssertionError("login failed: " + a.status() + " " + a.body());
        }
        this.token = a.text("accessToken");
        return this;
    }

    ApiClient token(String token) {
        this.token = token;
        return this;
    }

    String token() {
        return token;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    Answer send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            r.header("Content-Type", "application/json");
            r.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = resp.body().isEmpty() ? JSON.nullNode() : JSON.readTree(resp.body());
        return new Answer(resp.statusCode(), json, resp.headers());
    }

    /** Sends this body as is, with this Content-Type (none when null), for tests of what the server does with odd bodies. */
    Answer sendRaw(String method, String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(resp.statusCode(), resp.body().isEmpty() ? JSON.nullNode() : JSON.readTree(resp.body()),
                resp.headers());
    }

    /** POST /api/v1/kms/keys/{id}/{op}. */
    Answer op(String keyId, String op, JsonNode body) throws IOException, InterruptedException {
        return post("/api/v1/kms/keys/" + keyId + "/" + op, body);
    }

    static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
