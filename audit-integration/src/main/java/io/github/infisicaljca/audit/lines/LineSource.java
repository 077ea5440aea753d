package io.github.infisicaljca.audit.lines;

import java.io.BufferedReader;
import java.io.IOException;

/** Where {@link JsonLinesSealer} reads: one line at a time, without its terminator. */
@FunctionalInterface
public interface LineSource {
    /**
     * The next line, or {@code null} at the end. An exception stops the seal: the lines read
     * before it are sealed and written, then the seal rethrows it.
     */
    String next() throws IOException;

    /** {@return the lines of a reader (which decides how bytes become characters)} */
    static LineSource of(BufferedReader reader) {
        return reader::readLine;
    }
}
