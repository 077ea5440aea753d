package io.github.infisicaljca.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.AuditEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed vectors (src/test/resources/batch-vectors, see its README): the code reproduces
 * them byte for byte, and a second implementation written from the format document accepts them.
 * To write them again: {@code -Dbatch.vectors.write=<that directory>} (then review the diff).
 */
class BatchVectorsTest {
    static final String SECRET = "batch-vectors-secret";
    static final String KEY_ID = "vectors-hmac";
    static final int MAX_EVENTS = 3;

    private static Path dir() throws URISyntaxException {
        return Path.of(BatchVectorsTest.class.getResource("/batch-vectors/events-in.jsonl").toURI()).getParent();
    }

    private static List<String> read(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    /** The sealed lines, the checkpoint and the roots the code makes from the input events. */
    private static List<String> produce(Path in, List<String> sealedOut) throws Exception {
        List<AuditEvent> events = new ArrayList<>();
        read(in).forEach(l -> events.add(AuditEvent.parse(l)));
        BatchFixture.Sealed s = BatchFixture.seal(BatchSigner.hmac(Secret.of(SECRET), KEY_ID), events, MAX_EVENTS);
        sealedOut.addAll(s.lines());
        List<String> roots = new ArrayList<>();
        String prev = null;
        for (String line : s.lines()) {
            String root = AuditEvent.parse(line).json().get("seal").get("root").asText();
            if (!root.equals(prev)) {
                roots.add(root);
            }
            prev = root;
        }
        sealedOut.add(s.checkpoint().toJson());
        return roots;
    }

    @Test
    void theCodeReproducesTheVectorsByteForByte() throws Exception {
        Path dir = dir();
        String write = System.getProperty("batch.vectors.write");
        List<String> out = new ArrayList<>();
        List<String> roots = produce(dir.resolve("events-in.jsonl"), out);
        String checkpoint = out.remove(out.size() - 1);
        if (write != null) {
            Path w = Path.of(write);
            Files.writeString(w.resolve("sealed.jsonl"), String.join("\n", out) + "\n", StandardCharsets.UTF_8);
            Files.writeString(w.resolve("checkpoint.json"), checkpoint + "\n", StandardCharsets.UTF_8);
            Files.writeString(w.resolve("roots.txt"), String.join("\n", roots) + "\n", StandardCharsets.UTF_8);
            return;
        }
        assertEquals(Files.readString(dir.resolve("sealed.jsonl")), String.join("\n", out) + "\n");
        assertEquals(Files.readString(dir.resolve("checkpoint.json")), checkpoint + "\n");
        assertEquals(Files.readString(dir.resolve("roots.txt")), String.join("\n", roots) + "\n");
    }

    @Test
    void anIndependentImplementationAcceptsTheVectors() throws Exception {
        Path dir = dir();
        List<String> roots = IndependentBatchVerifier.verify(read(dir.resolve("sealed.jsonl")),
                Files.readString(dir.resolve("checkpoint.json")), SECRET.getBytes(StandardCharsets.UTF_8));
        assertEquals(read(dir.resolve("roots.txt")), roots);
        BatchVerifier v = BatchFixture.verifier(BatchSigner.hmac(Secret.of(SECRET), KEY_ID));
        assertEquals(List.of(), v.verifyLines(read(dir.resolve("sealed.jsonl")),
                Checkpoint.read(dir.resolve("checkpoint.json"))).findings());
    }

    @Test
    void theIndependentImplementationRefusesATamperedVector() throws Exception {
        Path dir = dir();
        List<String> lines = read(dir.resolve("sealed.jsonl"));
        lines.set(1, lines.get(1).replace("\"amount\":250", "\"amount\":251"));
        assertThrows(AssertionError.class, () -> IndependentBatchVerifier.verify(lines,
                Files.readString(dir.resolve("checkpoint.json")), SECRET.getBytes(StandardCharsets.UTF_8)));
    }
}
