package io.github.infisicaljca.conformance.dropin;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the checks of one drop-in family (run, passed, failed by name) and prints them as one
 * line, {@code drop-in <library>: N run, N passed, N failed}, in the style of the contract and
 * Wycheproof suites. A check that fails is rethrown, so its test fails too.
 */
public final class DropInTally {
    /** One check: any code that throws (an AssertionError or an exception) when it fails. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private final String library;
    private final List<String> failures = new ArrayList<>();
    private int run;
    private int passed;

    public DropInTally(String library) {
        this.library = library;
    }

    /** A check that makes something (a signed object) the following checks verify. */
    @FunctionalInterface
    public interface Step<T> {
        T make() throws Exception;
    }

    /** Runs and counts one check; its failure is recorded under {@code label} and rethrown. */
    public void check(String label, Check check) throws Exception {
        value(label, () -> {
            check.run();
            return null;
        });
    }

    /** Runs and counts one check that returns what it made; a failure is recorded and rethrown. */
    public <T> T value(String label, Step<T> step) throws Exception {
        T made;
        try {
            made = step.make();
        } catch (Exception | AssertionError e) {
            synchronized (this) {
                run++;
                failures.add(label + ": " + e);
            }
            throw e;
        }
        synchronized (this) {
            run++;
            passed++;
        }
        return made;
    }

    public synchronized String line() {
        return "drop-in " + library + ": " + run + " run, " + passed + " passed, " + failures.size() + " failed";
    }

    /**
     * For {@code @AfterAll}: prints the line (after a line break, so that it does not share a line
     * with the build tool's output), then fails when nothing ran or anything failed.
     */
    public synchronized void printAndAssert() {
        System.out.println();
        System.out.println(line());
        System.out.flush();
        if (run == 0) {
            throw new AssertionError("drop-in " + library + ": no check ran");
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(line() + ":\n  " + String.join("\n  ", failures));
        }
    }
}
