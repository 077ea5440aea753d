package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    private static final Figure MET = new Figure("local_verify_ratio", 1.02, Figure.Target.atMost(1.10), "a", "b", "c");
    private static final Figure MISSED = new Figure("concurrency_efficiency", 0.8995, Figure.Target.atLeast(0.90),
            "x", "y", "z");

    @Test
    void targetsCompareInTheirDirection() {
        assertTrue(Figure.Target.atLeast(0.9).met(0.9));
        assertFalse(Figure.Target.atLeast(0.9).met(0.8999));
        assertTrue(Figure.Target.atMost(1.1).met(1.1));
        assertFalse(Figure.Target.atMost(1.1).met(1.1001));
        assertEquals(">= 0.90", Figure.Target.atLeast(0.9).toString());
        assertEquals("<= 1.10", Figure.Target.atMost(1.1).toString());
    }

    @Test
    void aMissByLessThanARoundingStepIsNotPrintedAsTheTarget() {
        assertEquals("0.899", MISSED.shown());
        assertEquals("1.101", new Figure("k", 1.1001, Figure.Target.atMost(1.10), "a", "b", "c").shown());
        assertEquals("12.8", new Figure("k", 12.89, Figure.Target.atLeast(20), "a", "b", "c").shown());
        assertEquals("12.8", Figure.format(12.84));
    }

    @Test
    void aRatioThatIsNotANumberIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Figure("k", Double.NaN, Figure.Target.atLeast(1), "a", "b", "c"));
        assertThrows(IllegalArgumentException.class,
                () -> new Figure("k", Double.POSITIVE_INFINITY, Figure.Target.atLeast(1), "a", "b", "c"));
    }

    @Test
    void theTableShowsEachFigureItsTargetAndWhetherItWasMet() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new BenchReport("quick", "env", List.of(MET, MISSED)).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("local_verify_ratio              1.020  <= 1.10   met"), table);
        assertTrue(table.contains("concurrency_efficiency          0.899  >= 0.90   MISSED"), table);
        assertTrue(table.contains("inputs: z"), table);
    }

    @Test
    void aKeyLongerThanTheColumnWidensItForEveryRow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Figure longKey = new Figure("audit_batch_kms_calls_per_1000", 1.0, Figure.Target.atMost(1.0), "a", "b", "c");
        new BenchReport("quick", "env", List.of(MET, longKey)).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("audit_batch_kms_calls_per_1000      1.000  <= 1.00   met"), table);
        assertTrue(table.contains("local_verify_ratio                  1.020  <= 1.10   met"), table);
    }

    @Test
    void theJsonHasEachKeyAtTheTopAndTheDetailsBeside(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested/bench.json");
        new BenchReport("quick", "env", List.of(MET, MISSED)).write(file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(1.02, json.get("local_verify_ratio").asDouble());
        assertEquals(0.8995, json.get("concurrency_efficiency").asDouble());
        assertFalse(json.get("all_targets_met").asBoolean());
        assertEquals("<= 1.10", json.at("/details/local_verify_ratio/target").asText());
        assertTrue(json.at("/details/local_verify_ratio/met").asBoolean());
        assertEquals("z", json.at("/details/concurrency_efficiency/inputs").asText());
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList()); // no temporary file left behind
        }
    }
}
