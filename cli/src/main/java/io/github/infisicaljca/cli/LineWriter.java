package io.github.infisicaljca.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes JSON Lines as UTF-8, each line ended by {@code \n}. A lone surrogate (which a JSON
 * {@code "\ud800"} escape can carry and UTF-8 cannot encode) is written back as its
 * {@code \\uXXXX} escape, so the line parses to exactly the event that was sealed.
 */
final class LineWriter implements Closeable {
    private final BufferedWriter writer;
    private final boolean closeUnderlying;
    private final OutputStream out;

    LineWriter(OutputStream out, boolean closeUnderlying) {
        this.out = out;
        this.closeUnderlying = closeUnderlying;
        this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    void write(String jsonLine) throws IOException {
        writer.write(escapeLoneSurrogates(jsonLine));
        writer.write('\n');
    }

    void flush() throws IOException {
        writer.flush();
    }

    /** Flushes; closes the stream only when this writer opened it (a file, not stdout). */
    @Override
    public void close() throws IOException {
        if (closeUnderlying) {
            writer.close();
        } else {
            writer.flush();
            out.flush();
            if (out instanceof PrintStream && ((PrintStream) out).checkError()) {
                // PrintStream (System.out) swallows write errors: a full disk or a closed pipe must not pass as success.
                throw new IOException("writing to standard output failed");
            }
        }
    }

    static String escapeLoneSurrogates(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone;
            if (Character.isHighSurrogate(c)) {
                lone = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!lone) {
                    if (b != null) {
                        b.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                lone = Character.isLowSurrogate(c);
            }
            if (lone && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (lone) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
