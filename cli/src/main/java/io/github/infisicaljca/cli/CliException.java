package io.github.infisicaljca.cli;

/**
 * Ends a command with an exit status and a message for stderr (never a secret). The message may
 * quote input and is printed escaped ({@link TerminalText}); {@link #help} is the CLI's own text,
 * printed as it is after it.
 */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A command failed: invalid input, a failed verification, a KMS error. */
    static final int FAILURE = 1;
    /** The command line or the configuration is wrong. */
    static final int USAGE = 2;

    private final int exitCode;
    private final String help;

    private CliException(int exitCode, String message, Throwable cause, String help) {
        super(message, cause);
        this.exitCode = exitCode;
        this.help = help;
    }

    private CliException(int exitCode, String message, Throwable cause) {
        this(exitCode, message, cause, null);
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message, null);
    }

    /** A usage error followed by the command's own usage text. */
    static CliException usage(String message, String help) {
        return new CliException(USAGE, message, null, help);
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

    /** The CLI's own text to print after the message; {@code null} for none. */
    String help() {
        return help;
    }
}
