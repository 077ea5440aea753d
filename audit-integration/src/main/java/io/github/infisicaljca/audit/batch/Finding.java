package io.github.infisicaljca.audit.batch;

/**
 * One failure of a log: the 1-based line it is found at ({@code lines + 1} for the end of the
 * log), its category, and a reason that names fields and positions but never event contents.
 */
public record Finding(long line, Problem problem, String reason) {
    @Override
    public String toString() {
        return "line " + line + ": " + problem + ": " + reason;
    }
}
