package io.github.infisicaljca.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code audit_hash_ratio}: the audit event hash ({@link EventHasher#generateHash}: canonical
 * string, UTF-8, SHA-256, hex) against a bare SHA-256 of the same canonical bytes, computed
 * beforehand. The events are the 60 smart-logs vectors, taken in turn: ASCII, escapes, emoji
 * and other scripts, absent and empty optional fields.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditHashBenchmark {
    static final String VECTORS = "/audit/smart-logs-vectors.jsonl";

    private AuditEvent[] events;
    private byte[][] canonical;
    private MessageDigest sha256;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<AuditEvent> list = vectorEvents();
        events = list.toArray(new AuditEvent[0]);
        canonical = new byte[events.length][];
        for (int i = 0; i < events.length; i++) {
            canonical[i] = EventHasher.canonicalString(events[i]).getBytes(StandardCharsets.UTF_8);
        }
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @Benchmark
    public String auditHash() {
        return EventHasher.generateHash(events[step()]);
    }

    @Benchmark
    public byte[] rawSha256() {
        return sha256.digest(canonical[step()]);
    }

    private int step() {
        int i = next;
        next = i + 1 == events.length ? 0 : i + 1;
        return i;
    }

    /** The mean canonical size in bytes, for the report. */
    static int meanCanonicalBytes() throws IOException {
        long total = 0;
        List<AuditEvent> list = vectorEvents();
        for (AuditEvent e : list) {
            total += EventHasher.canonicalString(e).getBytes(StandardCharsets.UTF_8).length;
        }
        return (int) (total / list.size());
    }

    /** The vectors' events, in file order. */
    static List<AuditEvent> vectorEvents() throws IOException {
        List<AuditEvent> out = new ArrayList<>();
        for (JsonNode line : vectorLines()) {
            out.add(AuditEvent.parse(line.get("event").toString()));
        }
        return out;
    }

    static List<JsonNode> vectorLines() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = AuditHashBenchmark.class.getResourceAsStream(VECTORS)) {
            if (in == null) {
                throw new IOException(VECTORS + " is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(json.readTree(line));
                }
            }
        }
        return out;
    }
}
