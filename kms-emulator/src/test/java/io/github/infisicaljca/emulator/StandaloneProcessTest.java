package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.b64;
import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The emulator as its own process: it prints export lines, then "# ready", and serves until stopped. */
class StandaloneProcessTest {
    private static Process main(String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                "io.github.infisicaljca.emulator.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void mainPrintsExportsAndServesUntilStopped() throws Exception {
        Process p = main("--port", "0");
        try {
            List<String> comments = new ArrayList<>();
            Map<String, String> env = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> readExports(p, comments));
            assertTrue(comments.contains("# rate limits: " + RateLimits.selfHostedDefault()), comments.toString());
            assertTrue(comments.contains("# profile: current"), comments.toString());
            assertTrue(env.keySet().containsAll(List.of("INFISICAL_URL", "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID",
                    "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "INFISICAL_PROJECT_ID", "KMS_SIGNING_KEY_ID",
                    "KMS_ENCRYPTION_KEY_ID")), env.keySet().toString());
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create(env.get("INFISICAL_URL"));
            String login = obj().put("clientId", env.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID"))
                    .put("clientSecret", env.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET")).toString();
            HttpResponse<String> token = http.send(post(base.resolve("/api/v1/auth/universal-auth/login"), login, null),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode(), token.body());
            String bearer = ApiClient.JSON.readTree(token.body()).path("accessToken").asText();
            byte[] data = "across a process boundary".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> enc = http.send(post(base.resolve("/api/v1/kms/keys/" + env.get("KMS_ENCRYPTION_KEY_ID")
                    + "/encrypt"), obj().put("plaintext", b64(data)).toString(), bearer), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, enc.statusCode(), enc.body());
            String ct = ApiClient.JSON.readTree(enc.body()).path("ciphertext").asText();
            HttpResponse<String> dec = http.send(post(base.resolve("/api/v1/kms/keys/" + env.get("KMS_ENCRYPTION_KEY_ID")
                    + "/decrypt"), obj().put("ciphertext", ct).toString(), bearer), HttpResponse.BodyHandlers.ofString());
            assertArrayEquals(data, Base64.getDecoder().decode(
                    ApiClient.JSON.readTree(dec.body()).path("plaintext").asText()));
        } finally {
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the emulator stops on SIGTERM");
        }
    }

    @Test
    void the2024ProfileWithTightLimitsAnswersAsThatServerDoes() throws Exception {
        Process p = main("--port", "0", "--profile", "2024", "--rate-limit", "3/3");
        try {
            List<String> comments = new ArrayList<>();
            Map<String, String> env = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> readExports(p, comments));
            assertFalse(env.containsKey("KMS_SIGNING_KEY_ID"), env.toString());
            assertTrue(comments.contains("# profile: 2024"), comments.toString());
            assertTrue(comments.contains("# rate limits: " + RateLimits.perMinute(3, 3)), comments.toString());
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create(env.get("INFISICAL_URL"));
            String login = obj().put("clientId", env.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID"))
                    .put("clientSecret", env.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET")).toString();
            String bearer = ApiClient.JSON.readTree(http.send(post(base.resolve("/api/v1/auth/universal-auth/login"), login,
                    null), HttpResponse.BodyHandlers.ofString()).body()).path("accessToken").asText();
            URI encrypt = base.resolve("/api/v1/kms/keys/" + env.get("KMS_ENCRYPTION_KEY_ID") + "/encrypt");
            String body = obj().put("plaintext", "AQID").toString();
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < 4; i++) {
                last = http.send(post(encrypt, body, bearer), HttpResponse.BodyHandlers.ofString());
                statuses.add(last.statusCode());
            }
            assertEquals(List.of(200, 200, 200, 500), statuses);
            assertTrue(last.headers().firstValue("retry-after").isPresent(), last.headers().toString());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aBadOptionExitsWithAUsageError() throws Exception {
        Process p = main("--rate-limit", "lots");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), output);
        assertTrue(output.contains("--rate-limit: rate limits must be W/R"), output);
    }

    private static HttpRequest post(URI uri, String json, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    private static Map<String, String> readExports(Process p, List<String> comments) throws Exception {
        Map<String, String> env = new HashMap<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("# ready")) {
                return env;
            }
            if (line.startsWith("#")) {
                comments.add(line);
            }
            if (line.startsWith("export ")) {
                int eq = line.indexOf('=');
                env.put(line.substring("export ".length(), eq), line.substring(eq + 1));
            }
        }
        throw new AssertionError("the emulator exited before it was ready: " + env);
    }
}
