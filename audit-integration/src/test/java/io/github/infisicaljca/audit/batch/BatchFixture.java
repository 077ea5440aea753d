package io.github.infisicaljca.audit.batch;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.AuditEvent;
import java.util.ArrayList;
import java.util.List;

/** Events, sealing and tampering shared by the batch tests. */
public final class BatchFixture {
    public static final BatchSigner HMAC = BatchSigner.hmac(Secret.of("batch-test-secret"), "test-hmac");

    private BatchFixture() {
    }

    /** Event {@code i} of a log named {@code log}: hashed fields plus nested, numeric and non-ASCII ones. */
    public static AuditEvent event(String log, int i) {
        return AuditEvent.parse("{\"timestamp\":\"2026-01-01T00:00:" + String.format("%02d", i % 60) + "."
                + String.format("%03d", i % 1000) + "Z\",\"action\":\"transfer\",\"status\":\"success\","
                + "\"principalId\":\"user-" + i + "\",\"organizationId\":\"org-" + log + "\","
                + "\"details\":{\"amount\":" + (i * 10 + 0.5) + ",\"currency\":\"EUR\",\"note\":\"Zürich 😀\"},"
                + "\"dataClassification\":\"INTERNAL\"}");
    }

    public static List<AuditEvent> events(String log, int n) {
        List<AuditEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(log, i));
        }
        return out;
    }

    /** A sealed log: its lines in order, and the final checkpoint. */
    public record Sealed(List<String> lines, Checkpoint checkpoint) {
    }

    public static Sealed seal(BatchSigner signer, List<AuditEvent> events, int maxEvents) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BatchSealer s = BatchSealer.builder(signer).maxEvents(maxEvents).sink(e -> lines.add(e.toJson()))
                .build()) {
            for (AuditEvent e : events) {
                s.add(e);
            }
            s.close();
            return new Sealed(lines, s.checkpoint());
        }
    }

    public static BatchVerifier verifier(BatchSigner... keys) {
        BatchVerifier.Builder b = BatchVerifier.builder();
        for (BatchSigner k : keys) {
            b.key(k);
        }
        return b.build();
    }
}
