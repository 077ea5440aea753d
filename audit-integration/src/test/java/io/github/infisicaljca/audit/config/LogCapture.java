package io.github.infisicaljca.audit.config;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the configuration package logs. {@code System.Logger} is backed by
 * java.util.logging here (no other logging on the test class path), so a handler on the
 * package's logger sees every record.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.github.infisicaljca.audit.config");
    private final List<LogRecord> records = new ArrayList<>();

    LogCapture() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    synchronized List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                out.add(r.getMessage());
            }
        }
        return out;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
