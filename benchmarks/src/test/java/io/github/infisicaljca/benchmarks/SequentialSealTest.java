package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline seals every event, skips blank lines, and changes nothing but the seal fields. */
class SequentialSealTest {
    @TempDir
    Path dir;

    @Test
    void everyEventIsSealedAndVerifiesAndKeepsItsFields() throws Exception {
        AuditEventFile.Written w = AuditEventFile.write(dir.resolve("events.jsonl"), 300, 16);
        List<String> in = Files.readAllLines(w.file());
        List<String> withBlanks = new ArrayList<>(in);
        withBlanks.add(100, "");
        withBlanks.add(200, "   ");
        Files.write(w.file(), withBlanks, StandardCharsets.UTF_8);
        Path out = dir.resolve("sealed.jsonl");
        AuditCrypto crypto = AuditSealThroughput.hmacCrypto();

        new SequentialSeal(crypto).seal(w.file(), out);

        List<String> sealed = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(in.size(), sealed.size());
        for (int i = 0; i < sealed.size(); i++) {
            AuditEvent e = AuditEvent.parse(sealed.get(i));
            assertTrue(crypto.verify(e).valid(), "line " + (i + 1) + ": " + crypto.verify(e).reason());
            assertEquals("HMAC-SHA256", e.text(AuditEvent.ALGORITHM));
            ObjectNode fields = e.json();
            fields.remove(List.of(AuditEvent.HASH, AuditEvent.HASH_ALGORITHM, AuditEvent.SIGNATURE, AuditEvent.ALGORITHM));
            assertEquals(AuditEvent.parse(in.get(i)).json(), fields, "line " + (i + 1));
        }
    }

    @Test
    void aLineThatIsNoEventStopsTheSeal() throws Exception {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"timestamp\":\"t\",\"action\":\"a\",\"status\":\"s\"}\nnot json\n");
        assertThrows(IllegalArgumentException.class,
                () -> new SequentialSeal(AuditSealThroughput.hmacCrypto()).seal(in, dir.resolve("out.jsonl")));
    }
}
