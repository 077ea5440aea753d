package io.github.infisicaljca.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A JSON Lines file of smart-logs {@code AuditLogEvent}s for the audit seal figures, the same
 * bytes for the same seed and count on every JDK ({@link Random}'s sequence is specified).
 * Each line holds the eight hashed fields, a data classification and a small nested
 * {@code details} object (a number and a string), about 290 bytes on average; a few
 * descriptions carry non-ASCII text and escaped quotes, as real ones do.
 */
final class AuditEventFile {
    /** What was written: the event count is the line count, {@code bytes} the file's size. */
    record Written(Path file, int events, long bytes) {
        double megabytes() {
            return bytes / 1e6;
        }

        String describe() {
            return String.format(Locale.ROOT, megabytes() < 10 ? "%,d events (%.1f MB)" : "%,d events (%.0f MB)", events,
                    megabytes());
        }
    }

    private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");
    /** JavaScript's toISOString, as smart-logs writes timestamps: milliseconds always. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);
    private static final List<String> ACTIONS = List.of("fhirPatientRead", "fhirPatientUpdate",
            "fhirObservationCreate", "fhirEncounterSearch", "consentGranted", "cerbosAuthCheck", "userLogin",
            "exportRequested");
    private static final List<String> RESOURCE_TYPES = List.of("Patient", "Observation", "Encounter", "Consent",
            "Session");
    private static final List<String> CLASSIFICATIONS = List.of("PHI", "PII", "INTERNAL", "PUBLIC");
    /** Already JSON string contents (escapes written out). */
    private static final List<String> OUTCOMES = List.of("Read by the clinician", "Updated after review",
            "Granted by care policy", "Denied: no consent", "Stored from the gateway", "Export for Zürich DPO",
            "Consent for \\\"research\\\"", "Login after MFA");
    private static final List<String> CLIENTS = List.of("portal", "gateway", "app", "export");

    private AuditEventFile() {
    }

    /** Writes {@code events} events made from {@code seed} to {@code file} (replaced if it exists). */
    static Written write(Path file, int events, long seed) throws IOException {
        Random random = new Random(seed);
        long millis = START.toEpochMilli();
        StringBuilder line = new StringBuilder(400);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events; i++) {
                millis += 1 + random.nextInt(40);
                line.setLength(0);
                event(line, random, millis);
                out.append(line).append('\n');
            }
        }
        return new Written(file, events, Files.size(file));
    }

    private static void event(StringBuilder b, Random r, long millis) {
        int status = r.nextInt(20);
        b.append("{\"timestamp\":\"").append(TIMESTAMP.format(Instant.ofEpochMilli(millis)))
                .append("\",\"action\":\"").append(pick(r, ACTIONS))
                .append("\",\"status\":\"").append(status < 17 ? "success" : status < 19 ? "failure" : "attempt")
                .append("\",\"principalId\":\"user-").append(hex(r.nextInt(), 8))
                .append("\",\"organizationId\":\"org-").append(100 + r.nextInt(400))
                .append("\",\"targetResourceType\":\"").append(pick(r, RESOURCE_TYPES))
                .append("\",\"targetResourceId\":\"").append(hex(r.nextInt(), 8)).append('-').append(hex(r.nextInt(), 4));
        // Most successful reads carry no description, as in smart-logs; failures always do.
        if (status >= 17 || r.nextInt(5) == 0) {
            b.append("\",\"outcomeDescription\":\"").append(pick(r, OUTCOMES));
        }
        b.append("\",\"dataClassification\":\"").append(pick(r, CLASSIFICATIONS))
                .append("\",\"details\":{\"ms\":").append(1 + r.nextInt(2000))
                .append(",\"via\":\"").append(pick(r, CLIENTS)).append("\"}}");
    }

    private static String pick(Random r, List<String> from) {
        return from.get(r.nextInt(from.size()));
    }

    /** {@code digits} lower-case hex digits, zero-padded. */
    private static String hex(int value, int digits) {
        String h = Integer.toHexString(value);
        return h.length() >= digits ? h.substring(h.length() - digits) : "0".repeat(digits - h.length()) + h;
    }
}
