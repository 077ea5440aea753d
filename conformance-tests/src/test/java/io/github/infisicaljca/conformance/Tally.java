package io.github.infisicaljca.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts vectors per family (run, passed) and keeps every failure by name, so that a family
 * runs all its vectors before it fails, and the build log gets one line per family.
 */
final class Tally {
    /** A vector: any code that throws (an AssertionError or an exception) when it fails. */
    @FunctionalInterface
    interface Vector {
        void run() throws Exception;
    }

    private final String suite;
    private final Map<String, Family> families = new LinkedHashMap<>();

    Tally(String suite) {
        this.suite = suite;
    }

    synchronized Family family(String name) {
        return families.computeIfAbsent(name, Family::new);
    }

    /** One line per family, in the order the families were first used. */
    synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Family f : families.values()) {
            lines.add(suite + " " + f.name + ": " + f.details() + f.run + " run, " + f.passed + " passed, "
                    + f.failures.size() + " failed");
        }
        return lines;
    }

    /** Prints the lines, after a line break so that none shares a line with the build tool's own output. */
    void print() {
        System.out.println();
        lines().forEach(System.out::println);
    }

    static final class Family {
        private final String name;
        private final List<String> failures = new ArrayList<>();
        private final List<Throwable> causes = new ArrayList<>();
        private String details = "";
        private int run;
        private int passed;

        private Family(String name) {
            this.name = name;
        }

        /** Extra words for the summary line, before the counts (for example the number of services). */
        synchronized Family describe(String words) {
            this.details = words;
            return this;
        }

        private synchronized String details() {
            return details.isEmpty() ? "" : details + ", ";
        }

        /**
         * Runs one vector; a failure is recorded under {@code label} and does not stop the family.
         *
         * @return the failure, or {@code null} when the vector passed
         */
        Throwable vector(String label, Vector v) {
            Throwable failure = null;
            try {
                v.run();
            } catch (Exception | AssertionError e) {
                failure = e;
            }
            synchronized (this) {
                run++;
                if (failure == null) {
                    passed++;
                } else {
                    failures.add(label + ": " + failure);
                    causes.add(failure);
                }
            }
            return failure;
        }

        synchronized int run() {
            return run;
        }

        synchronized int passed() {
            return passed;
        }

        /** Fails with every failure of this family so far, each named, the first as cause. */
        synchronized void assertAllPassed() {
            if (failures.isEmpty()) {
                return;
            }
            AssertionError e = new AssertionError(name + ": " + failures.size() + " of " + run + " failed:\n  "
                    + String.join("\n  ", failures), causes.get(0));
            causes.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
