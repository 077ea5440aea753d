package io.github.infisicaljca.cli;

/** Ends a command with an exit status and a message for stderr (never a secret). */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A command failed: invalid input, a failed verification, a KMS error. */
    static final int FAILURE = 1;
    /** The command line or the configuration is wrong. */
    static final int USAGE = 2;

    private final int exitCode;

    private CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message, null);
    }

    static CliException failure(String message) {
        return new CliException(FAILURE, message, null);
    }

    static CliException failure(String message, Throwable cause) {
        return new CliException(FAILURE, message, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
