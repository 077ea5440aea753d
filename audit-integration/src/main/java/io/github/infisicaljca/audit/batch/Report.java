package io.github.infisicaljca.audit.batch;

import java.util.List;

/**
 * The outcome of verifying a log: every finding in line order, the lines read, and the last
 * batch of the chain (what a checkpoint of this log would hold), {@code null} if none.
 */
public record Report(List<Finding> findings, long lines, BatchStatement lastBatch) {
    /**
     * Copies the findings.
     *
     * @param findings every finding, in line order
     * @param lines the lines read
     * @param lastBatch the last batch of the chain, or {@code null}
     */
    public Report {
        findings = List.copyOf(findings);
    }

    /** {@return whether the log verified: no finding} */
    public boolean valid() {
        return findings.isEmpty();
    }
}
