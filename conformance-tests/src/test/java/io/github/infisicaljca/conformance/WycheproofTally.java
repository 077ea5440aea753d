package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * Counts of one family of vectors (run, passed, skipped with reasons), printed as one line in
 * the build log by the family's last dynamic test.
 */
final class WycheproofTally {
    private final String label;
    private int run;
    private int passed;
    private final Map<String, Integer> skipped = new TreeMap<>();

    WycheproofTally(String label) {
        this.label = label;
    }

    /** Runs one vector's checks: counted as run, and as passed when they all hold. */
    void check(Executable checks) throws Throwable {
        synchronized (this) {
            run++;
        }
        checks.execute();
        synchronized (this) {
            passed++;
        }
    }

    synchronized void skip(String reason, int vectors) {
        if (vectors > 0) {
            skipped.merge(reason, vectors, Integer::sum);
        }
    }

    String label() {
        return label;
    }

    synchronized int run() {
        return run;
    }

    synchronized int passed() {
        return passed;
    }

    synchronized String line() {
        int s = skipped.values().stream().mapToInt(Integer::intValue).sum();
        return "wycheproof " + label + ": " + run + " run, " + passed + " passed, " + s + " skipped"
                + (skipped.isEmpty() ? "" : " " + skipped);
    }

    /**
     * The family's last dynamic test: prints the count line and fails when nothing ran or any
     * vector failed (the failing vectors are reported by their own tests above).
     */
    DynamicTest summary() {
        return DynamicTest.dynamicTest("summary: " + label, () -> {
            String line = line();
            System.out.println(line);
            System.out.flush();
            assertTrue(run() > 0, label + ": no vector ran");
            assertEquals(run(), passed(), line);
        });
    }
}
