package io.github.infisicaljca.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects every text a user or an operator could see while the suite runs (each log record,
 * formatted, with its stack trace; each exception's message, toString and printed stack trace
 * down the cause chain; each toString of provider, config, client, handle and engine) and checks
 * that none holds a secret. {@link System.Logger} maps to java.util.logging here, so a handler on
 * the root logger sees every record; the provider's loggers are opened to every level, DEBUG
 * included, while installed.
 */
final class SecretHygiene implements AutoCloseable {
    /** A leak is any run of this many characters of a secret (a cut-off token leaks too). */
    static final int WINDOW = 16;

    record Seen(String label, String text) {
    }

    record LogLine(long threadId, Level level, String text) {
    }

    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LogLine> log = new ConcurrentLinkedQueue<>();
    private final Logger root = Logger.getLogger("");
    private final Logger ours = Logger.getLogger("io.github.infisicaljca");
    private final Level oursLevel = ours.getLevel();
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            StringBuilder text = new StringBuilder(r.getLoggerName() + " " + r.getLevel() + ": " + formatter.formatMessage(r));
            if (r.getThrown() != null) {
                text.append('\n').append(stackTrace(r.getThrown()));
            }
            log.add(new LogLine(r.getLongThreadID(), r.getLevel(), text.toString()));
            seen.add(new Seen("log " + r.getLoggerName() + " " + r.getLevel(), text.toString()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    SecretHygiene() {
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        ours.setLevel(Level.ALL);
    }

    /** A secret by name; its UTF-8 base64 form counts as the secret too. */
    SecretHygiene secret(String name, String value) {
        if (value.length() < WINDOW) {
            throw new IllegalArgumentException("a secret of the suite must be distinctive: " + WINDOW + " characters at least");
        }
        secrets.put(name, value);
        secrets.put(name + " (base64)", Base64.getEncoder().encodeToString(value.getBytes(UTF_8)));
        return this;
    }

    SecretHygiene secret(String name, byte[] value) {
        secrets.put(name + " (base64)", Base64.getEncoder().encodeToString(value));
        String text = new String(value, UTF_8);
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            secrets.put(name, text);
        }
        return this;
    }

    /** The message, toString and printed stack trace of {@code t} and of every cause and suppressed. */
    void exception(String label, Throwable t) {
        Set<Throwable> visited = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && visited.add(c); c = c.getCause()) {
            seen.add(new Seen(label + " message of " + c.getClass().getSimpleName(), String.valueOf(c.getMessage())));
            seen.add(new Seen(label + " toString of " + c.getClass().getSimpleName(), c.toString()));
            seen.add(new Seen(label + " localized message", String.valueOf(c.getLocalizedMessage())));
        }
        seen.add(new Seen(label + " stack trace", stackTrace(t)));
    }

    void object(String label, Object o) {
        seen.add(new Seen(label + " toString", String.valueOf(o)));
    }

    /** Log lines written by one thread since {@code index} (see {@link #logSize()}). */
    List<LogLine> logOf(long threadId, int fromIndex) {
        List<LogLine> out = new ArrayList<>();
        int i = 0;
        for (LogLine l : log) {
            if (i++ >= fromIndex && l.threadId() == threadId) {
                out.add(l);
            }
        }
        return out;
    }

    int logSize() {
        return log.size();
    }

    int textsSeen() {
        return seen.size();
    }

    int logRecords() {
        return log.size();
    }

    /** Every leak found so far, as "label: secret name" lines (the secret itself is not repeated). */
    List<String> leaks() {
        Map<String, String> windows = new java.util.HashMap<>();
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String v = secret.getValue();
            for (int i = 0; i + Math.min(WINDOW, v.length()) <= v.length(); i++) {
                windows.putIfAbsent(v.substring(i, i + Math.min(WINDOW, v.length())), secret.getKey());
            }
        }
        List<String> out = new ArrayList<>();
        for (Seen s : seen) {
            Set<String> found = new java.util.TreeSet<>();
            String text = s.text();
            for (int i = 0; i + WINDOW <= text.length(); i++) {
                String name = windows.get(text.substring(i, i + WINDOW));
                if (name != null) {
                    found.add(name);
                }
            }
            found.forEach(name -> out.add(s.label() + ": contains " + name));
        }
        return out;
    }

    /** {@link #leaks()}, one line per place and secret (an exception's message, toString and trace count once). */
    List<String> leakSummary() {
        return leaks().stream()
                .map(l -> l.replaceAll(" (message of \\w+|toString of \\w+|localized message|stack trace):", ":"))
                .distinct().collect(java.util.stream.Collectors.toList());
    }

    void assertNoLeaks() {
        List<String> leaks = leakSummary();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " texts hold a secret; first ones:\n  "
                    + String.join("\n  ", leaks.subList(0, Math.min(20, leaks.size()))));
        }
    }

    /** Whether any {@link #WINDOW}-character run of {@code secret} occurs in {@code text}. */
    static boolean leaks(String text, String secret) {
        if (text == null) {
            return false;
        }
        int w = Math.min(WINDOW, secret.length());
        for (int i = 0; i + w <= secret.length(); i++) {
            if (text.contains(secret.substring(i, i + w))) {
                return true;
            }
        }
        return false;
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        ours.setLevel(oursLevel);
    }
}
