package io.github.infisicaljca.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR events, recorded with {@link Recording} around real calls to the emulator and read
 * back from the dump: one {@code KmsCall} per call with its figures, one {@code Relogin} per
 * token obtained, one {@code RateLimitWait} per wait for a window, and no secret in any field.
 */
class TelemetryJfrTest {
    static final String CALL = "io.github.infisicaljca.KmsCall";
    static final String RELOGIN = "io.github.infisicaljca.Relogin";
    static final String WAIT = "io.github.infisicaljca.RateLimitWait";
    private static final byte[] PLAINTEXT = "a payload no event may carry".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HMAC_KEY = HexFormat.of().parseHex(
            "8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0");
    private static KmsEmulator kms;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.builder().start();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    /** A client whose waits move a virtual clock and the emulator's clock on instead of sleeping. */
    static KmsClient client(KmsEmulator e) {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RequestExecutor.Sleeper sleeper = d -> {
            now.addAndGet(d.toNanos());
            e.advanceTime(d);
        };
        return KmsClient.create(KmsClientEmulatorTest.config(e).build(), sleeper, System::nanoTime, now::get);
    }

    private List<RecordedEvent> record(ThrowingRunnable work) throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable(CALL);
            recording.enable(RELOGIN);
            recording.enable(WAIT);
            recording.start();
            work.run();
            recording.stop();
            Path file = dir.resolve("kms.jfr");
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(ev -> ev.getEventType().getName().startsWith("io.github.infisicaljca."))
                    .collect(Collectors.toList());
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }

    private static RecordedEvent onlyCall(List<RecordedEvent> events, String operation) {
        List<RecordedEvent> calls = named(events, CALL).stream()
                .filter(e -> operation.equals(e.getString("operation"))).collect(Collectors.toList());
        assertEquals(1, calls.size(), () -> operation + " calls: " + calls);
        return calls.get(0);
    }

    private static void assertCall(RecordedEvent e, String keyId, int status, int attempts, String outcome) {
        assertEquals(keyId, e.getString("keyId"));
        assertEquals(status, e.getInt("status"));
        assertEquals(attempts, e.getInt("attempts"));
        assertEquals(outcome, e.getString("outcome"));
        assertTrue(e.getDuration().toNanos() > 0, "duration");
        assertTrue(e.getEventType().getCategoryNames().containsAll(List.of("Infisical", "KMS")));
        assertNull(e.getStackTrace(), "no stack trace");
    }

    @Test
    void successesFailuresRetriesAndReloginsAreRecordedWithTheirFigures() throws Exception {
        String signing = kms.signingKeyId();
        String encryption = kms.encryptionKeyId();
        String hmac = kms.importKey("jfr-hmac", "HMAC_SHA_256", HMAC_KEY);
        String missing = "00000000-0000-4000-8000-000000000000";
        List<String> secrets = new ArrayList<>();
        List<RecordedEvent> events = record(() -> {
            try (KmsClient client = client(kms)) {
                client.sign(signing, SigningAlgorithm.RSASSA_PSS_SHA_256, PLAINTEXT, false);
                kms.inject("POST", "/sign$", Fault.status(400), 1);
                assertThrows(KmsApiException.class,
                        () -> client.sign(signing, SigningAlgorithm.RSASSA_PSS_SHA_256, PLAINTEXT, false));
                assertThrows(KmsApiException.class, () -> client.getKey(missing));
                kms.inject("POST", "/encrypt$", Fault.status(503), 1);
                byte[] ciphertext = client.encrypt(encryption, PLAINTEXT);
                kms.inject("POST", "/generate-mac$", Fault.status(401), 1); // the token refused: log in again, once
                byte[] mac = client.generateMac(hmac, PLAINTEXT);
                // A token the client never saw, from a login of its own: it must not show either.
                secrets.add(client.login(kms.clientId(), Secret.of(kms.clientSecret())).accessToken().reveal());
                secrets.add(Base64.getEncoder().encodeToString(ciphertext));
                secrets.add(Base64.getEncoder().encodeToString(mac));
            }
        });

        RecordedEvent sign = named(events, CALL).stream().filter(e -> "sign".equals(e.getString("operation")))
                .findFirst().orElseThrow();
        assertCall(sign, signing, 200, 1, "SUCCESS");
        assertTrue(sign.getLong("requestBytes") > PLAINTEXT.length, "the JSON body carries the base64 data");
        assertTrue(sign.getLong("responseBytes") > 512, "a 4096-bit signature, in base64");
        RecordedEvent refused = named(events, CALL).stream().filter(e -> "sign".equals(e.getString("operation")))
                .skip(1).findFirst().orElseThrow();
        assertCall(refused, signing, 400, 1, "API");
        assertCall(onlyCall(events, "get-key"), missing, 404, 1, "API");
        RecordedEvent encrypt = onlyCall(events, "encrypt");
        assertCall(encrypt, encryption, 200, 2, "SUCCESS");
        assertCall(onlyCall(events, "generate-mac"), hmac, 200, 2, "SUCCESS");
        List<RecordedEvent> logins = named(events, CALL).stream()
                .filter(e -> "login".equals(e.getString("operation"))).collect(Collectors.toList());
        assertEquals(3, logins.size(), "the first login, the one after the 401, and the test's own");
        logins.forEach(e -> assertCall(e, null, 200, 1, "SUCCESS"));

        List<RecordedEvent> relogins = named(events, RELOGIN);
        assertEquals(List.of("first-login", "rejected"),
                relogins.stream().map(e -> e.getString("reason")).collect(Collectors.toList()));
        relogins.forEach(e -> {
            assertTrue(e.getBoolean("success"));
            assertFalse(e.getBoolean("renewal"));
            assertTrue(e.getDuration().toNanos() > 0);
        });

        secrets.add(kms.clientSecret());
        secrets.add(new String(PLAINTEXT, StandardCharsets.UTF_8));
        secrets.add(Base64.getEncoder().encodeToString(PLAINTEXT));
        secrets.add(HexFormat.of().formatHex(HMAC_KEY));
        secrets.add(Base64.getEncoder().encodeToString(HMAC_KEY));
        assertNoSecrets(events, secrets);
    }

    @Test
    void aWaitForTheRateLimitWindowIsRecorded() throws Exception {
        String signing = kms.signingKeyId();
        // A window shorter than the call's time bound, so the third call waits rather than fails.
        kms.rateLimits(RateLimits.perWindow(2, 60, Duration.ofSeconds(5)));
        try {
            List<RecordedEvent> events = record(() -> {
                try (KmsClient client = client(kms)) {
                    for (int i = 0; i < 3; i++) { // the third waits for the next window
                        client.sign(signing, SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256, PLAINTEXT, false);
                    }
                }
            });
            List<RecordedEvent> waits = named(events, WAIT);
            assertEquals(1, waits.size(), () -> "waits: " + waits);
            RecordedEvent wait = waits.get(0);
            assertEquals("sign", wait.getString("operation"));
            assertEquals("POST /v1/kms/keys/{keyId}/sign", wait.getString("route"));
            long waited = wait.getLong("waited");
            assertTrue(waited > 0 && waited <= Duration.ofSeconds(7).toNanos(),
                    () -> "waited " + waited);
            List<RecordedEvent> signs = named(events, CALL).stream()
                    .filter(e -> "sign".equals(e.getString("operation"))).collect(Collectors.toList());
            assertEquals(3, signs.size());
            signs.forEach(e -> assertCall(e, signing, 200, 1, "SUCCESS"));
        } finally {
            kms.rateLimits(null);
        }
    }

    /** Every field of every event, as text, holds none of {@code secrets}. */
    static void assertNoSecrets(List<RecordedEvent> events, List<String> secrets) {
        assertFalse(events.isEmpty());
        for (RecordedEvent e : events) {
            for (ValueDescriptor field : e.getFields()) {
                Object raw = e.getValue(field.getName());
                String value = String.valueOf(raw);
                for (String secret : secrets) {
                    assertFalse(value.contains(secret),
                            () -> e.getEventType().getName() + "." + field.getName() + " holds a secret");
                }
            }
        }
    }
}
