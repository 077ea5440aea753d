package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both sides of the audit figure compute the vectors' own hashes, event after event. */
class AuditHashBenchmarkTest {
    @Test
    void bothBenchmarksHashEveryVectorEventInTurn() throws Exception {
        List<JsonNode> vectors = AuditHashBenchmark.vectorLines();
        assertEquals(60, vectors.size());
        AuditHashBenchmark audit = new AuditHashBenchmark();
        audit.setUp();
        AuditHashBenchmark raw = new AuditHashBenchmark();
        raw.setUp();
        for (int round = 0; round < 2; round++) {
            for (JsonNode v : vectors) {
                String expected = v.get("hash").asText();
                assertEquals(expected, audit.auditHash());
                assertEquals(expected, HexFormat.of().formatHex(raw.rawSha256()));
            }
        }
    }

    @Test
    void meanCanonicalSizeIsReported() throws Exception {
        int mean = AuditHashBenchmark.meanCanonicalBytes();
        assertEquals(true, mean > 100 && mean < 1000, "mean canonical bytes " + mean);
    }
}
