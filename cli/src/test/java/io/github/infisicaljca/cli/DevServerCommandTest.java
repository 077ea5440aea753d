package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevServerCommandTest {
    private static final List<String> NAMES = List.of("INFISICAL_URL", "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID",
            "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "INFISICAL_PROJECT_ID", "KMS_SIGNING_KEY_ID",
            "KMS_ENCRYPTION_KEY_ID");

    @Test
    void printsSixExportLinesThatWork() throws Exception {
        URI url;
        try (RunningDevServer s = new RunningDevServer()) {
            assertEquals(NAMES, List.copyOf(s.exports.keySet()), String.join("\n", s.lines));
            url = URI.create(s.exports.get("INFISICAL_URL"));
            assertTrue(url.getHost().equals("127.0.0.1") || url.getHost().equals("[::1]"), url.toString());
            Map<String, String> env = new LinkedHashMap<>(s.exports);
            InfisicalConfig config = InfisicalConfig.builder().environment(env)
                    .systemProperties(new java.util.Properties()).build();
            try (KmsClient client = KmsClient.create(config)) {
                List<KmsKey> keys = client.listKeys(s.exports.get("INFISICAL_PROJECT_ID"));
                assertEquals(4, keys.size(), keys::toString);
                assertEquals("signing-key", client.getKey(s.exports.get("KMS_SIGNING_KEY_ID")).name());
                byte[] ct = client.encrypt(s.exports.get("KMS_ENCRYPTION_KEY_ID"), new byte[] {1, 2, 3});
                assertEquals(3, client.decrypt(s.exports.get("KMS_ENCRYPTION_KEY_ID"), ct).length);
            }
            // the doctor agrees
            CliRun doctor = CliRun.run(env, "", "doctor");
            assertEquals(0, doctor.exit(), doctor::toString);
        }
        // stopped: the port no longer accepts connections
        assertThrows(ConnectException.class, () -> new Socket(url.getHost(), url.getPort()).close());
    }

    @Test
    void aStateDirectoryKeepsCredentialsAndKeysAcrossRestarts(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dev-server");
        Map<String, String> first;
        try (RunningDevServer s = new RunningDevServer("--state-dir", state.toString())) {
            first = Map.copyOf(s.exports);
            assertTrue(s.lines.stream().anyMatch(l -> l.startsWith("# state kept in")), s.lines::toString);
        }
        try (RunningDevServer s = new RunningDevServer("--state-dir", state.toString())) {
            for (String name : NAMES) {
                assertEquals(first.get(name), s.exports.get(name), name);
            }
            assertTrue(s.lines.stream().anyMatch(l -> l.startsWith("# state kept in") && l.contains("same URL")),
                    s.lines::toString);
            // what the first start exported works against the second
            InfisicalConfig config = InfisicalConfig.builder().environment(first)
                    .systemProperties(new java.util.Properties()).build();
            try (KmsClient client = KmsClient.create(config)) {
                assertNotNull(client.getKey(first.get("KMS_SIGNING_KEY_ID")));
            }
            assertEquals(0, CliRun.run(first, "", "doctor").exit());
        }
        try (RunningDevServer s = new RunningDevServer()) {
            assertFalse(first.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID").equals(
                    s.exports.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID")), "without --state-dir the identity is new");
        }
    }

    @Test
    void aKeptPortInUseFailsSayingWhichAndHowToChooseAnother(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dev-server");
        int kept;
        try (RunningDevServer s = new RunningDevServer("--state-dir", state.toString())) {
            kept = URI.create(s.exports.get("INFISICAL_URL")).getPort();
        }
        try (ServerSocket squatter = new ServerSocket(kept, 50, InetAddress.getLoopbackAddress())) {
            // the stop latch is already open: a start that succeeded would return at once
            CliException e = assertThrows(CliException.class, () -> DevServerCommand.serve(
                    List.of("--state-dir", state.toString()), new PrintStream(OutputStream.nullOutputStream()),
                    new CountDownLatch(0), false));
            assertEquals(CliException.FAILURE, e.exitCode());
            assertTrue(e.getMessage().contains("port " + kept + " on 127.0.0.1 is in use"), e.getMessage());
            assertTrue(e.getMessage().endsWith(" (--port N chooses another; the state directory keeps it)"),
                    e.getMessage());
        }
        int chosen;
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            chosen = free.getLocalPort();
        }
        try (RunningDevServer s = new RunningDevServer("--state-dir", state.toString(), "--port", "" + chosen)) {
            assertEquals(chosen, URI.create(s.exports.get("INFISICAL_URL")).getPort());
        }
        try (RunningDevServer s = new RunningDevServer("--state-dir", state.toString())) {
            assertEquals(chosen, URI.create(s.exports.get("INFISICAL_URL")).getPort(), "the explicit port is kept");
        }
    }

    @Test
    void aBadPortIsAUsageError() {
        CliRun r = CliRun.run(Map.of(), "", "dev-server", "--port", "70000");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--port"), r::toString);
    }

    @Test
    void aBadProfileOrRateLimitIsAUsageError() {
        CliRun profile = CliRun.run(Map.of(), "", "dev-server", "--profile", "2023");
        assertEquals(2, profile.exit(), profile::toString);
        assertTrue(profile.err().contains("--profile must be current or 2024, not '2023'"), profile::toString);
        CliRun limits = CliRun.run(Map.of(), "", "dev-server", "--rate-limit", "200-60");
        assertEquals(2, limits.exit(), limits::toString);
        assertTrue(limits.err().contains("--rate-limit: rate limits must be W/R"), limits::toString);
        assertTrue(limits.err().contains("'200-60'"), limits::toString);
    }

    @Test
    void theSelfHostedRateLimitsApplyByDefaultAndSaySo() throws Exception {
        try (RunningDevServer s = new RunningDevServer()) {
            assertTrue(s.lines.contains("# rate limits: 200 writes and 60 reads a minute per route and client address"
                    + " (Infisical's self-hosted default; past them 429 with retry-after;"
                    + " --rate-limit off lifts them)"), String.join("\n", s.lines));
            assertTrue(s.lines.stream().anyMatch(l -> l.startsWith("# profile: current")), s.lines::toString);
            HttpResponse<String> list = list(s);
            assertEquals(200, list.statusCode(), list.body());
            assertEquals("60", list.headers().firstValue("x-ratelimit-limit").orElse(null));
            assertEquals("59", list.headers().firstValue("x-ratelimit-remaining").orElse(null));
        }
    }

    @Test
    void rateLimitsCanBeTightenedOrLifted() throws Exception {
        try (RunningDevServer s = new RunningDevServer("--rate-limit", "5/1")) {
            assertTrue(s.lines.stream().anyMatch(l -> l.startsWith("# rate limits: 5 writes and 1 reads a minute")),
                    s.lines::toString);
            assertEquals(200, list(s).statusCode());
            HttpResponse<String> refused = list(s);
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("retry-after").isPresent());
        }
        try (RunningDevServer s = new RunningDevServer("--rate-limit", "off")) {
            assertTrue(s.lines.stream().anyMatch(l -> l.startsWith("# rate limits: off")), s.lines::toString);
            HttpResponse<String> list = list(s);
            assertEquals(200, list.statusCode());
            assertTrue(list.headers().firstValue("x-ratelimit-limit").isEmpty());
        }
    }

    @Test
    void the2024ProfileHasNoSigningKeyToExport() throws Exception {
        try (RunningDevServer s = new RunningDevServer("--profile", "2024", "--rate-limit", "5/1")) {
            List<String> names = new ArrayList<>(NAMES);
            names.remove("KMS_SIGNING_KEY_ID");
            assertEquals(names, List.copyOf(s.exports.keySet()), String.join("\n", s.lines));
            assertTrue(s.lines.contains("# no KMS_SIGNING_KEY_ID: the 2024 profile has no signing keys (the 2024 server"
                    + " offers only aes-256-gcm and aes-128-gcm keys)"), s.lines::toString);
            assertTrue(s.lines.contains("# keys: encryption-key (aes-256-gcm)"), s.lines::toString);
            assertTrue(s.lines.stream().anyMatch(l -> l.startsWith("# profile: 2024")), s.lines::toString);
            assertTrue(s.lines.contains("# rate limits: 5 writes and 1 reads a minute per route and client address"
                    + " (past them 500 with retry-after; --rate-limit off lifts them)"), s.lines::toString);
            assertEquals(200, list(s).statusCode());
            assertEquals(500, list(s).statusCode(), "the 2024 server's answer past a limit");
        }
    }

    @Test
    void theUsageDescribesEveryOption() {
        CliRun r = CliRun.run(Map.of(), "", "dev-server", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("usage: infisical-jca dev-server [--port N] [--state-dir DIR] [--profile current|2024]"
                + "\n                                [--rate-limit W/R|default|off]"), r.out());
        for (String option : new String[] {"--state-dir DIR", "--profile P", "--rate-limit L"}) {
            assertTrue(r.out().contains("\n" + option), option);
        }
    }

    /** Lists the project's keys over plain HTTP, so no client retry hides a refusal. */
    private static HttpResponse<String> list(RunningDevServer s) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI url = URI.create(s.exports.get("INFISICAL_URL"));
        ObjectMapper json = new ObjectMapper();
        String login = json.createObjectNode().put("clientId", s.exports.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID"))
                .put("clientSecret", s.exports.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET")).toString();
        String token = json.readTree(http.send(HttpRequest.newBuilder(url.resolve("/api/v1/auth/universal-auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("accessToken").asText();
        return http.send(HttpRequest.newBuilder(url.resolve("/api/v1/kms/keys?projectId="
                + s.exports.get("INFISICAL_PROJECT_ID"))).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shellQuotingKeepsPlainValuesAndQuotesTheRest() throws KmsException {
        assertEquals("http://127.0.0.1:8080", DevServerCommand.shellQuote("http://127.0.0.1:8080"));
        assertEquals("abc_DEF-12", DevServerCommand.shellQuote("abc_DEF-12"));
        assertEquals("'a b'", DevServerCommand.shellQuote("a b"));
        assertEquals("'it'\\''s'", DevServerCommand.shellQuote("it's"));
        assertEquals("'$(x)'", DevServerCommand.shellQuote("$(x)"));
    }
}
