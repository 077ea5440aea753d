package io.github.infisicaljca.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Where {@code audit seal} writes: standard output or a file it opened. Closes only a file;
 * standard output is flushed and checked, since {@link PrintStream} swallows write errors and
 * a full disk or a closed pipe must not pass as success.
 */
final class LineWriter implements Closeable {
    private final OutputStream out;
    private final boolean closeUnderlying;

    LineWriter(OutputStream out, boolean closeUnderlying) {
        this.out = out;
        this.closeUnderlying = closeUnderlying;
    }

    /** The stream the sealer writes to (it buffers and flushes; this writer closes). */
    OutputStream stream() {
        return out;
    }

    @Override
    public void close() throws IOException {
        if (closeUnderlying) {
            out.close();
            return;
        }
        out.flush();
        if (out instanceof PrintStream && ((PrintStream) out).checkError()) {
            throw new IOException("writing to standard output failed");
        }
    }
}
