package io.github.infisicaljca.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The provider's and the audit port's log records (System.Logger, which writes to
 * java.util.logging) as a terminal shows a command's remarks: one line each on stderr,
 * {@code warning: <message>}, without the timestamp-and-class line of the JDK's default format
 * and with input-derived text escaped ({@link TerminalText}). Left alone when the user
 * configured java.util.logging ({@code -Djava.util.logging.config.file} or {@code .class}).
 */
final class TerminalLogging {
    private TerminalLogging() {
    }

    /** Replaces the root logger's handlers with one writing to {@code err}; {@link Installed#close} puts them back. */
    static Installed install(PrintStream err) {
        Logger root = Logger.getLogger("");
        List<Handler> previous = List.of(root.getHandlers());
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return new Installed(root, previous, null);
        }
        Handler terminal = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    err.println(getFormatter().format(r));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                flush(); // never closes stderr
            }
        };
        terminal.setFormatter(new OneLine());
        terminal.setLevel(Level.ALL); // the loggers' own levels decide
        previous.forEach(root::removeHandler);
        root.addHandler(terminal);
        return new Installed(root, previous, terminal);
    }

    /** {@code warning: <message>}, its parameters filled in; an exception's message after it when it has one. */
    static final class OneLine extends Formatter {
        private final SimpleFormatter messages = new SimpleFormatter();

        @Override
        public String format(LogRecord r) {
            String message = messages.formatMessage(r);
            Throwable thrown = r.getThrown();
            if (thrown != null && thrown.getMessage() != null && !message.contains(thrown.getMessage())) {
                message += ": " + thrown.getMessage();
            }
            return TerminalText.safe(label(r.getLevel()) + ": " + message);
        }

        private static String label(Level level) {
            int v = level.intValue();
            return v >= Level.SEVERE.intValue() ? "error" : v >= Level.WARNING.intValue() ? "warning"
                    : v >= Level.INFO.intValue() ? "note" : "debug";
        }
    }

    /** The installation, undone by {@link #close} (tests; the command line keeps it until the JVM ends). */
    static final class Installed implements AutoCloseable {
        private final Logger root;
        private final List<Handler> previous;
        private final Handler installed;

        private Installed(Logger root, List<Handler> previous, Handler installed) {
            this.root = root;
            this.previous = previous;
            this.installed = installed;
        }

        @Override
        public void close() {
            if (installed != null) {
                root.removeHandler(installed);
                previous.forEach(root::addHandler);
            }
        }
    }
}
