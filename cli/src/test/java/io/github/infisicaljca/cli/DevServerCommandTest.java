package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevServerCommandTest {
    private static final List<String> NAMES = List.of("INFISICAL_URL", "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID",
            "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "INFISICAL_PROJECT_ID", "KMS_SIGNING_KEY_ID",
            "KMS_ENCRYPTION_KEY_ID");

    /** A dev-server running in a test thread; its export lines are read up to the ready line. */
    private static final class Running implements AutoCloseable {
        final CountDownLatch stop = new CountDownLatch(1);
        final Map<String, String> exports = new LinkedHashMap<>();
        final List<String> lines = new ArrayList<>();
        final AtomicInteger exit = new AtomicInteger(-1);
        final Thread thread;

        Running(String... args) throws Exception {
            PipedInputStream in = new PipedInputStream(1 << 16);
            PrintStream out = new PrintStream(new PipedOutputStream(in), true, StandardCharsets.UTF_8);
            thread = new Thread(() -> {
                try {
                    exit.set(DevServerCommand.serve(List.of(args), out, stop, false));
                } catch (CliException e) {
                    out.println("error: " + e.getMessage());
                } finally {
                    out.close();
                }
            }, "dev-server-test");
            thread.start();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.equals(DevServerCommand.READY)) {
                    break;
                }
                if (line.startsWith("export ")) {
                    String kv = line.substring("export ".length());
                    int eq = kv.indexOf('=');
                    String v = kv.substring(eq + 1);
                    if (v.startsWith("'")) {
                        v = v.substring(1, v.length() - 1).replace("'\\''", "'");
                    }
                    exports.put(kv.substring(0, eq), v);
                }
            }
            assertEquals(DevServerCommand.READY, line, "no ready line: " + lines);
        }

        @Override
        public void close() throws InterruptedException {
            stop.countDown();
            thread.join();
            assertEquals(0, exit.get());
        }
    }

    @Test
    void printsSixExportLinesThatWork() throws Exception {
        URI url;
        try (Running s = new Running()) {
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
        try (Running s = new Running("--state-dir", state.toString())) {
            first = Map.copyOf(s.exports);
            assertTrue(s.lines.stream().anyMatch(l -> l.startsWith("# state kept in")), s.lines::toString);
        }
        try (Running s = new Running("--state-dir", state.toString())) {
            for (String name : NAMES) {
                if (!name.equals("INFISICAL_URL")) {
                    assertEquals(first.get(name), s.exports.get(name), name);
                }
            }
            InfisicalConfig config = InfisicalConfig.builder().environment(s.exports)
                    .systemProperties(new java.util.Properties()).build();
            try (KmsClient client = KmsClient.create(config)) {
                assertNotNull(client.getKey(first.get("KMS_SIGNING_KEY_ID")));
            }
        }
        try (Running s = new Running()) {
            assertFalse(first.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID").equals(
                    s.exports.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID")), "without --state-dir the identity is new");
        }
    }

    @Test
    void aBadPortIsAUsageError() {
        CliRun r = CliRun.run(Map.of(), "", "dev-server", "--port", "70000");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--port"), r::toString);
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
