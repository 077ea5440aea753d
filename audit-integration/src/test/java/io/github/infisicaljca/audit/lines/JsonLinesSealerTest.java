package io.github.infisicaljca.audit.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.audit.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The smart-logs format through {@link JsonLinesSealer}: the same seal as {@code AuditCrypto.seal}, in order, in parallel. */
class JsonLinesSealerTest {

    private static JsonLinesSealer.Summary seal(List<String> in, int threads, ByteArrayOutputStream out)
            throws Exception {
        return JsonLinesSealer.smartLogs(Lines.HMAC).threads(threads).build().seal(Lines.source(in, 0, null), out);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7})
    void eachLineIsTheEventSealedAsAuditCryptoSealsItInInputOrder(int threads) throws Exception {
        List<String> in = Lines.events(3_000); // many chunks, finished by the workers in any order
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesSealer.Summary s = seal(in, threads, out);

        List<String> lines = Lines.lines(out);
        assertEquals(3_000, lines.size());
        assertEquals(new JsonLinesSealer.Summary(3_000, 0, "HMAC-SHA256", null), s);
        for (int i = 0; i < in.size(); i++) {
            AuditEvent sealed = AuditEvent.parse(lines.get(i));
            assertEquals(Lines.HMAC.seal(AuditEvent.parse(in.get(i))), sealed, "line " + (i + 1));
            assertTrue(Lines.HMAC.verify(sealed).valid(), Lines.HMAC.verify(sealed).reason());
        }
    }

    @Test
    void theEventsOwnTextIsKeptExactlyAndTheSealFieldsFollowIt() throws Exception {
        String event = Lines.event(7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        seal(List.of(event), 2, out);

        String line = Lines.lines(out).get(0);
        String kept = event.substring(0, event.lastIndexOf('"') + 1); // up to the last field's value, no space or '}'
        assertTrue(line.startsWith(kept + ",\"hash\":\""), line);
        assertTrue(line.contains("\"amount\":1.50,\"big\":1E+2,\"note\":\"Z\\u00fcrich \\ud83d\\ude00 \\/ \""), line);
        assertTrue(line.endsWith("\",\"algorithm\":\"HMAC-SHA256\"}"), line);
    }

    @Test
    void anEventSealedBeforeHasItsSealReplacedWhereItStands() throws Exception {
        AuditEvent old = Lines.HMAC.seal(AuditEvent.parse(Lines.event(1))).with("signature", "forged");
        String in = old.toJson().replace("\"status\"", "\"extra\":true,\"status\"");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        seal(List.of(in), 1, out);

        AuditEvent sealed = AuditEvent.parse(Lines.lines(out).get(0));
        assertEquals(Lines.HMAC.seal(AuditEvent.parse(in)), sealed);
        assertTrue(Lines.HMAC.verify(sealed).valid(), Lines.HMAC.verify(sealed).reason());
    }

    @Test
    void blankLinesAreSkippedAndCountedInLineNumbers() throws Exception {
        List<String> in = new ArrayList<>(List.of("", Lines.event(0), "   ", Lines.event(1), "\t", "{\"timestamp\":1}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealStoppedException e = assertThrows(SealStoppedException.class, () -> seal(in, 2, out));

        assertEquals(SealStoppedException.Reason.INVALID_EVENT, e.reason());
        assertEquals(6, e.line());
        assertEquals(2, e.written());
        assertNull(e.checkpoint());
        assertEquals(2, Lines.lines(out).size());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 127, 128, 129, 1000})
    void anInvalidLineStopsTheSealWithEveryEventBeforeItWrittenAndNoneAfter(int bad) throws Exception {
        List<String> in = Lines.events(1_200);
        in.set(bad - 1, "{\"timestamp\":\"2026\",\"action\":\"a\",\"status\":7}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealStoppedException e = assertThrows(SealStoppedException.class, () -> seal(in, 2, out));

        assertEquals(bad, e.line());
        assertEquals(bad - 1, e.written());
        assertTrue(e.getMessage().contains("status"), e.getMessage());
        List<String> lines = Lines.lines(out);
        assertEquals(bad - 1, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(Lines.HMAC.seal(AuditEvent.parse(in.get(i))), AuditEvent.parse(lines.get(i)));
        }
    }

    @Test
    void notJsonIsAnInvalidEventThatNeverQuotesTheLine() {
        List<String> in = List.of(Lines.event(0), "{\"timestamp\":\"secret-value\" oops");
        SealStoppedException e = assertThrows(SealStoppedException.class, () -> seal(in, 2, new ByteArrayOutputStream()));
        assertEquals(2, e.line());
        assertTrue(!e.getMessage().contains("secret-value"), e.getMessage());
    }

    @Test
    void aReadingFailureSealsTheLinesBeforeItThenReportsIt() throws Exception {
        IOException broken = new IOException("the disk went away");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SealStoppedException e = assertThrows(SealStoppedException.class, () -> JsonLinesSealer.smartLogs(Lines.HMAC)
                .build().seal(Lines.source(Lines.events(500), 301, broken), out));

        assertEquals(SealStoppedException.Reason.INPUT_FAILED, e.reason());
        assertEquals(301, e.line());
        assertEquals(300, e.written());
        assertEquals(broken, e.getCause());
        assertEquals(300, Lines.lines(out).size());
    }

    @Test
    void aLoneSurrogateInAStringIsWrittenAsItsEscapeAndStillVerifies() throws Exception {
        String event = "{\"timestamp\":\"2026-03-01T10:00:00.000Z\",\"action\":\"a\\u0001b\",\"status\":\"x\uD800y\"}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        seal(List.of(event), 1, out);

        String line = Lines.lines(out).get(0);
        assertTrue(line.contains("x\\ud800y"), line);
        AuditEvent sealed = AuditEvent.parse(line);
        assertEquals("x\uD800y", sealed.text("status"));
        assertTrue(Lines.HMAC.verify(sealed).valid(), Lines.HMAC.verify(sealed).reason());
    }

    @Test
    void anEmptyInputWritesNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(new JsonLinesSealer.Summary(0, 0, null, null), seal(List.of(), 2, out));
        assertEquals(0, out.size());
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> JsonLinesSealer.smartLogs(Lines.HMAC).threads(0).build());
        assertThrows(NullPointerException.class, () -> JsonLinesSealer.smartLogs(null));
        assertThrows(IllegalArgumentException.class, () -> JsonLinesSealer.smartLogs(Lines.HMAC)
                .resumeFrom(io.github.infisicaljca.audit.batch.Checkpoint.parse(BatchLinesTest.someCheckpoint()))
                .build());
    }
}
