package io.github.infisicaljca.benchmarks;

import java.nio.file.Path;

/**
 * A sealer under test for the audit seal figures: reads a JSON Lines file of audit events and
 * writes the sealed events to another, one line each, blank lines skipped. Timed end to end,
 * file in to file out, so that reading, parsing and writing count as they do for a user.
 */
@FunctionalInterface
interface FileSeal {
    void seal(Path in, Path out) throws Exception;
}
