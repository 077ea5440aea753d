package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated event file: the same bytes for the same seed, valid events, the size it announces. */
class AuditEventFileTest {
    private static final int EVENTS = 5_000;

    @TempDir
    Path dir;

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOthers() throws Exception {
        AuditEventFile.Written a = AuditEventFile.write(dir.resolve("a.jsonl"), EVENTS, 16);
        AuditEventFile.Written b = AuditEventFile.write(dir.resolve("b.jsonl"), EVENTS, 16);
        AuditEventFile.Written c = AuditEventFile.write(dir.resolve("c.jsonl"), EVENTS, 17);
        assertArrayEquals(Files.readAllBytes(a.file()), Files.readAllBytes(b.file()));
        assertFalse(Arrays.equals(Files.readAllBytes(a.file()), Files.readAllBytes(c.file())));
    }

    @Test
    void aFileReplacesWhatWasThere() throws Exception {
        Path file = dir.resolve("events.jsonl");
        AuditEventFile.write(file, EVENTS, 16);
        AuditEventFile.Written smaller = AuditEventFile.write(file, 10, 16);
        assertEquals(10, Files.readAllLines(file).size());
        assertEquals(Files.size(file), smaller.bytes());
    }

    @Test
    void everyLineIsAnAuditEventThatParsesAndHashes() throws Exception {
        AuditEventFile.Written w = AuditEventFile.write(dir.resolve("events.jsonl"), EVENTS, 16);
        List<String> lines = Files.readAllLines(w.file(), StandardCharsets.UTF_8);
        assertEquals(EVENTS, lines.size());
        ObjectMapper json = new ObjectMapper();
        int described = 0;
        String previous = "";
        for (String line : lines) {
            AuditEvent event = AuditEvent.parse(line);
            assertEquals(64, EventHasher.generateHash(event).length());
            for (String field : List.of("timestamp", "action", "status", "principalId", "organizationId",
                    "targetResourceType", "targetResourceId", "dataClassification")) {
                assertFalse(event.text(field).isEmpty(), field + " in " + line);
            }
            described += event.has("outcomeDescription") ? 1 : 0;
            JsonNode details = json.readTree(line).get("details");
            assertTrue(details.get("ms").isInt() && details.get("via").isTextual(), line);
            assertTrue(event.text("timestamp").compareTo(previous) > 0, "timestamps increase: " + line);
            previous = event.text("timestamp");
        }
        // Failures always carry a description, most successful events none.
        assertTrue(described > EVENTS / 5 && described < EVENTS / 2, described + " of " + EVENTS);
        assertTrue(lines.stream().anyMatch(l -> l.contains("Zürich")), "non-ASCII text");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\\\"research\\\"")), "escaped quotes");
    }

    /** About 290 bytes an event, so that the million-event file is the 270 to 300 MB the figures say. */
    @Test
    void theFileIsTheSizeItAnnounces() throws Exception {
        AuditEventFile.Written w = AuditEventFile.write(dir.resolve("events.jsonl"), 20_000, 16);
        assertEquals(20_000, w.events());
        assertEquals(Files.size(w.file()), w.bytes());
        double perEvent = w.bytes() / (double) w.events();
        assertTrue(perEvent >= 270 && perEvent <= 300, perEvent + " bytes an event");
        assertEquals(String.format(java.util.Locale.ROOT, "20,000 events (%.1f MB)", w.bytes() / 1e6), w.describe());
        assertEquals("1,000,000 events (291 MB)", new AuditEventFile.Written(w.file(), 1_000_000, 290_600_000)
                .describe());
    }
}
