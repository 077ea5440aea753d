package io.github.infisicaljca.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Secret hygiene: every text a user could ever see (log records, exception messages and cause
 * chains, {@code toString()}s) is checked against the secrets of a test. While installed, a
 * handler on the JUL root logger sees every record (the provider logs through
 * {@link System.Logger}, which the JDK routes to java.util.logging), and the provider's own
 * loggers are opened to {@code ALL} so that their DEBUG records are produced and checked too.
 * Texts are checked as they arrive (nothing is kept but the violations), so a storm of a
 * hundred thousand records costs no memory.
 */
final class StormSecretHygiene implements AutoCloseable {
    /** Every token the emulator issues starts with this (TokenAuthority: {@code "emu." + random}). */
    static final String EMULATOR_TOKEN_PREFIX = "emu.";
    private static final int KEPT_VIOLATIONS = 20;

    /** label -> needle; the label, never the needle, goes into a failure message. */
    private final Map<String, String> needles = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger violationCount = new AtomicInteger();
    private final LongAdder records = new LongAdder();
    private final LongAdder texts = new LongAdder();
    private final Map<String, LongAdder> messageCounts = new java.util.concurrent.ConcurrentHashMap<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Logger root = Logger.getLogger("");
    /** Strong reference: JUL holds loggers weakly, and a collected logger forgets its level. */
    private final Logger providerLoggers = Logger.getLogger("io.github.infisicaljca");
    private final Level previousLevel = providerLoggers.getLevel();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.increment();
            String where = "log record " + record.getLevel() + " " + record.getLoggerName();
            String formatted = formatter.formatMessage(record);
            check(where, formatted);
            check(where + " (raw message)", record.getMessage());
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    check(where + " (parameter)", String.valueOf(p));
                }
            }
            if (record.getThrown() != null) {
                checkThrowable(where + " (thrown)", record.getThrown());
            }
            for (Map.Entry<String, LongAdder> e : messageCounts.entrySet()) {
                if (formatted != null && formatted.contains(e.getKey())) {
                    e.getValue().increment();
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Adds a secret to look for; blank needles are refused (they would match everything). */
    StormSecretHygiene forbid(String label, String needle) {
        if (needle == null || needle.isBlank()) {
            throw new IllegalArgumentException("no needle for " + label);
        }
        needles.put(label, needle);
        return this;
    }

    /** Counts the captured log records whose formatted message contains {@code fragment}. */
    StormSecretHygiene countMessages(String fragment) {
        messageCounts.put(fragment, new LongAdder());
        return this;
    }

    long messagesContaining(String fragment) {
        return messageCounts.get(fragment).sum();
    }

    StormSecretHygiene install() {
        handler.setLevel(Level.ALL);
        providerLoggers.setLevel(Level.ALL);
        root.addHandler(handler);
        return this;
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        providerLoggers.setLevel(previousLevel);
    }

    /** Checks one text. */
    void check(String where, String text) {
        if (text == null) {
            return;
        }
        texts.increment();
        for (Map.Entry<String, String> n : needles.entrySet()) {
            int at = text.indexOf(n.getValue());
            if (at >= 0) {
                violationCount.incrementAndGet();
                if (violations.size() < KEPT_VIOLATIONS) {
                    violations.add(n.getKey() + " in " + where + ": " + masked(excerpt(text, at, n.getValue().length())));
                }
            }
        }
    }

    /** Checks a throwable's toString and message, its whole cause chain and its suppressed ones. */
    void checkThrowable(String where, Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(t));
        while (!todo.isEmpty()) {
            Throwable x = todo.remove(todo.size() - 1);
            if (x == null || !seen.add(x)) {
                continue;
            }
            check(where + " " + x.getClass().getSimpleName() + ".toString", x.toString());
            check(where + " " + x.getClass().getSimpleName() + ".getMessage", x.getMessage());
            check(where + " " + x.getClass().getSimpleName() + ".getLocalizedMessage", x.getLocalizedMessage());
            todo.add(x.getCause());
            todo.addAll(List.of(x.getSuppressed()));
        }
    }

    /** Checks {@code String.valueOf(o)}. */
    void checkToString(String where, Object o) {
        check(where + ".toString", String.valueOf(o));
    }

    int violationCount() {
        return violationCount.get();
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long records() {
        return records.sum();
    }

    long textsChecked() {
        return texts.sum();
    }

    private static String excerpt(String text, int at, int len) {
        return "..." + text.substring(Math.max(0, at - 60), Math.min(text.length(), at + len + 60)) + "...";
    }

    /** A failure message names what leaked, it does not leak it again. */
    private String masked(String text) {
        for (Map.Entry<String, String> n : needles.entrySet()) {
            text = text.replace(n.getValue(), "<" + n.getKey() + ">");
        }
        return text;
    }
}
