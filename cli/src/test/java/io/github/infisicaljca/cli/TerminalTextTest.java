package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text that came from input (events, files, the server) reaches the terminal only with its controls made visible. */
class TerminalTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void controlsDelAndBidiOverridesAreEscapedVisibly() {
        assertEquals("a\\u001b[2Kb\\u000a\\u000dc\\u0009d\\u0000", TerminalText.safe("a\u001b[2Kb\n\rc\td\0"));
        assertEquals("\\u007f\\u0085\\u009b\\u0080", TerminalText.safe("\u007f\u0085\u009b\u0080"));
        for (char c : new char[] {'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068',
            '\u2069', '\u2028', '\u2029'}) {
            assertEquals(String.format("x\\u%04x", (int) c), TerminalText.safe("x" + c), Integer.toHexString(c));
        }
    }

    @Test
    void printableTextIsLeftAlone() {
        String text = "Zürich 😀 한국어 \\u001b C:\\dir \"quoted\" <html>";
        assertSame(text, TerminalText.safe(text));
        assertEquals("null", TerminalText.safe(null));
    }

    /** The attack: a sealed event whose algorithm forges the verifier's summary with newlines and ANSI codes. */
    @Test
    void aForgedAlgorithmCannotForgeTheSummary() throws Exception {
        String sealed = AuditHmacCommandTest.seal(AuditHmacCommandTest.ENV, AuditHmacCommandTest.events(1))
                .outLines().get(0);
        ObjectNode event = (ObjectNode) JSON.readTree(sealed);
        String forged = "HMAC-SHA256\u001b[2K\r\n0 events, 0 failed\n\u001b[32mALL GOOD\u001b[0m\n\u202e";
        event.put("algorithm", forged);

        CliRun r = CliRun.run(AuditHmacCommandTest.ENV, JSON.writeValueAsString(event) + "\n", "audit", "verify");
        assertEquals(1, r.exit(), r::toString);
        assertFalse(r.err().contains("\u001b"), r::toString);
        assertFalse(r.err().contains("\r") || r.err().contains("\u202e"), r::toString);
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("line 1: algorithm HMAC-SHA256\\u001b[2K\\u000d\\u000a0 events, 0 failed"),
                r::toString);
        assertEquals("1 event, 1 failed", lines.get(1), r::toString);
    }

    @Test
    void aFileNameIsPrintedWithItsControlsEscaped() {
        String name = "nope\n0 events, 0 failed\u001b[0m.jsonl";
        CliRun r = CliRun.run(AuditHmacCommandTest.ENV, "", "audit", "verify", "--in", dir.resolve(name).toString());
        assertEquals(2, r.exit(), r::toString);
        assertFalse(r.err().contains("\u001b") || r.err().contains("\n0 events"), r::toString);
        assertTrue(r.err().contains("nope\\u000a0 events, 0 failed\\u001b[0m.jsonl: no such file"), r::toString);
    }

    @Test
    void anEventThatIsNotJsonIsQuotedSafely() {
        CliRun r = CliRun.run(Map.of("AUDIT_CRYPTO_SECRET", AuditHmacCommandTest.SECRET),
                "{\"timestamp\":\"\u001b[31m\n", "audit", "verify");
        assertEquals(1, r.exit(), r::toString);
        assertFalse(r.err().contains("\u001b"), r::toString);
    }
}
