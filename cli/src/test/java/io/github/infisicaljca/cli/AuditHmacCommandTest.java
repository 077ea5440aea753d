package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code audit seal}/{@code audit verify} with HMAC-SHA256 keyed by AUDIT_CRYPTO_SECRET. */
class AuditHmacCommandTest {
    static final String SECRET = "hmac-test-secret-0123456789abcdef";
    static final Map<String, String> ENV = Map.of("AUDIT_CRYPTO_SECRET", SECRET);
    private static final ObjectMapper JSON = new ObjectMapper();

    static String event(int i, String status) {
        return "{\"timestamp\":\"2023-10-26T10:30:" + String.format("%02d", i % 60) + ".000Z\",\"action\":\"userLogin\","
                + "\"status\":\"" + status + "\",\"principalId\":\"user-" + i + "\"}";
    }

    static String events(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append(event(i, "success")).append('\n');
        }
        return b.toString();
    }

    static CliRun seal(Map<String, String> env, String input) {
        CliRun r = CliRun.run(env, input, "audit", "seal");
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    @Test
    void sealThenVerifyRoundTrip() throws Exception {
        CliRun sealed = seal(ENV, events(3)).assertNoSecrets(SECRET);
        List<String> lines = sealed.outLines();
        assertEquals(3, lines.size());
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.get("hash").asText().matches("[0-9a-f]{64}"), line);
            assertEquals("SHA-256", n.get("hashAlgorithm").asText());
            assertTrue(n.get("signature").asText().matches("[0-9a-f]{64}"), line);
            assertEquals("HMAC-SHA256", n.get("algorithm").asText());
        }
        assertTrue(sealed.err().contains("3 events sealed with HMAC-SHA256"), sealed::toString);

        CliRun verified = CliRun.run(ENV, sealed.out(), "audit", "verify").assertNoSecrets(SECRET);
        assertEquals(0, verified.exit(), verified::toString);
        assertTrue(verified.err().contains("3 events, 0 failed"), verified::toString);
        assertEquals("", verified.out());
    }

    @Test
    void aTamperedLineFailsWithItsLineNumberCountingBlankLines() {
        List<String> lines = seal(ENV, events(3)).outLines();
        String tampered = lines.get(1).replace("\"status\":\"success\"", "\"status\":\"failure\"");
        assertFalse(tampered.equals(lines.get(1)));
        // Line 2 is blank, so the tampered event is on line 3 of the input.
        String input = lines.get(0) + "\n\n" + tampered + "\r\n" + lines.get(2) + "\n";

        CliRun r = CliRun.run(ENV, input, "audit", "verify").assertNoSecrets(SECRET);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("line 3: the hash does not match"), r::toString);
        assertFalse(r.err().contains("line 1:") || r.err().contains("line 4:"), r::toString);
        assertTrue(r.err().contains("3 events, 1 failed"), r::toString);
    }

    @Test
    void anotherSecretFailsEveryLine() {
        String sealed = seal(ENV, events(2)).out();
        CliRun r = CliRun.run(Map.of("AUDIT_CRYPTO_SECRET", "some-other-secret-value-of-32-chars"), sealed, "audit",
                "verify");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("line 1: the HMAC-SHA256 signature does not match"), r::toString);
        assertTrue(r.err().contains("line 2: the HMAC-SHA256 signature does not match"), r::toString);
        assertTrue(r.err().contains("2 events, 2 failed"), r::toString);
    }

    @Test
    void sealKeepsEveryOtherFieldUnchangedAndInOrder() throws Exception {
        // Numbers keep their digits (trailing zeros aside: AuditEvent writes 2.50 as 2.5, the same JSON number).
        String body = "{\"zeta\":{\"b\":[1,2.5,null,true,-0.001],\"a\":\"x\"},\"timestamp\":\"2023-10-26T10:30:00.000Z\","
                + "\"action\":\"dataExport\",\"status\":\"success\",\"amount\":12345678901234567890.12,"
                + "\"text\":\"caf\u00e9 \ud83d\ude00 \\\"quoted\\\" \\u0001\",\"custom\":{}";
        CliRun r = seal(ENV, body + "}\n");
        String line = r.outLines().get(0);
        assertTrue(line.startsWith(body + ",\"hash\":\""), line);

        JsonNode n = JSON.readTree(line);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(List.of("zeta", "timestamp", "action", "status", "amount", "text", "custom",
                "hash", "hashAlgorithm", "signature", "algorithm"), names);
        assertEquals(0, CliRun.run(ENV, r.out(), "audit", "verify").exit());
    }

    @Test
    void aLoneSurrogateEscapeSurvivesSealAndVerify() {
        String input = "{\"timestamp\":\"2023-10-26T10:30:00.000Z\",\"action\":\"a\\ud800b\",\"status\":\"ok\"}\n";
        CliRun sealed = seal(ENV, input);
        assertTrue(sealed.out().startsWith("{\"timestamp\":\"2023-10-26T10:30:00.000Z\",\"action\":\"a\\ud800b\""),
                sealed::toString);
        CliRun verified = CliRun.run(ENV, sealed.out(), "audit", "verify");
        assertEquals(0, verified.exit(), verified::toString);
    }

    @Test
    void anInvalidLineStopsSealingWithItsNumber() {
        String input = event(1, "success") + "\n" + "{\"timestamp\":\"t\",\"action\":\"a\"\n" + event(3, "success") + "\n";
        CliRun r = CliRun.run(ENV, input, "audit", "seal");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("line 2: "), r::toString);
        assertTrue(r.err().contains("; the 1 event before it was written, nothing after"), r::toString);
        assertEquals(1, r.outLines().size(), r::toString);
        assertTrue(r.outLines().get(0).contains("\"principalId\":\"user-1\""));
    }

    @Test
    void oneEventIsCountedInTheSingular() {
        CliRun sealed = seal(ENV, events(1));
        assertEquals("audit seal: 1 event sealed with HMAC-SHA256\n", sealed.err(), sealed::toString);
        CliRun verified = CliRun.run(ENV, sealed.out(), "audit", "verify");
        assertEquals("1 event, 0 failed\n", verified.err(), verified::toString);
        CliRun none = CliRun.run(ENV, "\n", "audit", "verify");
        assertEquals("0 events, 0 failed\n", none.err(), none::toString);

        String twoThenBad = events(2) + "{\"timestamp\":\"t\"}\n";
        CliRun stopped = CliRun.run(ENV, twoThenBad, "audit", "seal");
        assertTrue(stopped.err().contains("; the 2 events before it were written, nothing after"), stopped::toString);
    }

    @Test
    void anEventWithoutTheRequiredFieldsIsRefused() {
        CliRun r = CliRun.run(ENV, "{\"action\":\"a\",\"status\":\"s\"}\n", "audit", "seal");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("line 1: ") && r.err().contains("timestamp"), r::toString);
        assertTrue(r.err().contains("nothing was written"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void verifyReportsUnsealedAndUnparsableLines() {
        String sealed = seal(ENV, events(1)).out();
        String input = sealed + event(2, "success") + "\nnot json\n";
        CliRun r = CliRun.run(ENV, input, "audit", "verify");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("line 2: the event is not sealed"), r::toString);
        assertTrue(r.err().contains("line 3: not a valid audit event"), r::toString);
        assertTrue(r.err().contains("3 events, 2 failed"), r::toString);
    }

    @Test
    void inputThatIsNotUtf8IsAnError() {
        byte[] bad = (event(1, "success") + "\n{\"timestamp\":\"\u00ff\"}\n").getBytes(StandardCharsets.ISO_8859_1);
        CliRun r = CliRun.run(ENV, new java.io.ByteArrayInputStream(bad), "audit", "seal");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("not valid UTF-8"), r::toString);
    }

    /** The audit configuration's rules for an HMAC secret, production's length included: the CLI cannot tell a test run. */
    @ParameterizedTest
    @ValueSource(strings = {"...", "changeme", "<secret>", "your-secret-here", "${AUDIT_CRYPTO_SECRET}",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "0000000000000000000000000000000000000000", "short-secret-9f8a7b"})
    void aPlaceholderWeakOrShortSecretIsRefusedWithoutShowingIt(String secret) {
        for (String sub : List.of("seal", "verify")) {
            CliRun r = CliRun.run(Map.of("AUDIT_CRYPTO_SECRET", secret), events(1), "audit", sub);
            assertEquals(2, r.exit(), r::toString);
            assertEquals("", r.out(), r::toString);
            assertTrue(r.err().startsWith("infisical-jca: AUDIT_CRYPTO_SECRET "), r::toString);
            assertTrue(r.err().contains("placeholder") || r.err().contains("one character repeated")
                    || r.err().contains("at least 32 characters"), r::toString);
            if (secret.length() > 3) {
                assertFalse(r.err().contains(secret), r::toString);
            }
        }
    }

    @Test
    void missingConfigurationIsAUsageErrorNamingTheVariables() {
        for (String sub : List.of("seal", "verify")) {
            CliRun r = CliRun.run(Map.of(), events(1), "audit", sub);
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("AUDIT_CRYPTO_SECRET"), r::toString);
            assertTrue(r.err().contains("KMS_SIGNING_KEY_ID"), r::toString);
            assertEquals("", r.out());
        }
    }

    @Test
    void aSigningKeyIdWithoutUrlOrCredentialsIsNotSilentlyReplacedByHmac() {
        Map<String, String> env = Map.of("AUDIT_CRYPTO_SECRET", SECRET,
                "KMS_SIGNING_KEY_ID", "4d677f3a-6c3b-4a5c-9a4c-1f2e3d4c5b6a");
        CliRun r = CliRun.run(env, events(1), "audit", "seal").assertNoSecrets(SECRET);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("INFISICAL_URL"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void inAndOutFiles(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path sealed = dir.resolve("sealed.jsonl");
        Files.writeString(events, events(5));

        CliRun r = CliRun.run(ENV, "", "audit", "seal", "--in", events.toString(), "--out=" + sealed);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.out());
        List<String> lines = Files.readAllLines(sealed, StandardCharsets.UTF_8);
        assertEquals(5, lines.size());
        assertTrue(lines.get(4).contains("\"principalId\":\"user-5\""));

        CliRun v = CliRun.run(ENV, "", "audit", "verify", "--in", sealed.toString());
        assertEquals(0, v.exit(), v::toString);
        assertTrue(v.err().contains("5 events, 0 failed"), v::toString);

        CliRun same = CliRun.run(ENV, "", "audit", "seal", "--in", events.toString(), "--out", events.toString());
        assertEquals(2, same.exit(), same::toString);
        assertEquals(events(5), Files.readString(events), "the input must not be truncated");

        CliRun missing = CliRun.run(ENV, "", "audit", "verify", "--in", dir.resolve("nope.jsonl").toString());
        assertEquals(2, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("no such file"), missing::toString);
    }

    @Test
    void optionErrorsAreUsageErrors() {
        assertEquals(2, CliRun.run(ENV, "", "audit", "seal", "--accept", "HMAC-SHA256").exit());
        assertEquals(2, CliRun.run(ENV, "", "audit", "seal", "--in").exit());
        assertEquals(2, CliRun.run(ENV, "", "audit", "verify", "extra").exit());
        assertEquals(2, CliRun.run(ENV, "", "audit", "verify", "--accept", "SHA1withDSA").exit());
        assertEquals(2, CliRun.run(ENV, "", "audit").exit());
        assertEquals(2, CliRun.run(ENV, "", "audit", "stamp").exit());
        CliRun help = CliRun.run(ENV, "", "audit", "seal", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("audit verify [--in FILE] [--accept ALG[,ALG]]"), help::toString);
    }
}
