package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** 20,000 events go through line by line: output keeps up with input instead of waiting for its end. */
class AuditStreamingTest {
    static final int LINES = 20_000;

    /** Generates the events lazily and counts how many lines it has handed out. */
    static final class EventSource extends InputStream {
        private byte[] current = new byte[0];
        private int pos;
        int produced;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == current.length) {
                if (produced == LINES) {
                    return -1;
                }
                produced++;
                current = (AuditHmacCommandTest.event(produced, "success") + "\n").getBytes(StandardCharsets.UTF_8);
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Counts output lines and records the largest gap between lines read and lines written. */
    static final class LineCounter extends OutputStream {
        private final EventSource source;
        private final ByteArrayOutputStream copy;
        int lines;
        int maxLag;

        LineCounter(EventSource source, ByteArrayOutputStream copy) {
            this.source = source;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            copy.write(b);
            if (b == '\n') {
                lines++;
                maxLag = Math.max(maxLag, source.produced - lines);
            }
        }
    }

    @Test
    void twentyThousandLinesStreamThroughSealAndVerify() {
        EventSource source = new EventSource();
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        LineCounter counter = new LineCounter(source, sealed);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"audit", "seal"}, AuditHmacCommandTest.ENV, source,
                new PrintStream(counter, false, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertEquals(LINES, source.produced);
        assertEquals(LINES, counter.lines);
        // Whole-input buffering would show a lag of 20,000; line-by-line streaming only its buffers' worth.
        assertTrue(counter.maxLag < 2_000, "output lagged input by " + counter.maxLag + " lines");

        CliRun verified = CliRun.run(AuditHmacCommandTest.ENV, sealed.toString(StandardCharsets.UTF_8), "audit", "verify");
        assertEquals(0, verified.exit(), verified.err());
        assertTrue(verified.err().contains(LINES + " events, 0 failed"), verified.err());
    }

    @Test
    void anOverlongLineIsRefusedWithoutReadingItWhole() throws Exception {
        StringBuilder b = new StringBuilder("{\"timestamp\":\"");
        b.append("x".repeat(5000)).append("\"}\n");
        try (LineReader r = new LineReader(new java.io.ByteArrayInputStream(
                ("{}\n" + b).getBytes(StandardCharsets.UTF_8)), 1000)) {
            assertEquals("{}", r.next());
            CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class, r::next);
            assertTrue(e.getMessage().startsWith("line 2 is longer than 1000 characters"), e.getMessage());
        }
    }
}
