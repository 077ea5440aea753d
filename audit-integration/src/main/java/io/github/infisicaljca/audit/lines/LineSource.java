package io.github.infisicaljca.audit.lines;

import java.io.BufferedReader;
import java.io.IOException;

/** Where {@link JsonLinesSealer} reads: one line at a time, without its terminator. */
@FunctionalInterface
public interface LineSource {
    /**
     * The next line, or {@code null} at the end. An exception stops the seal: the lines read
     * before it are sealed and written, then the seal rethrows it.
     *
     * @return the line, without its terminator, or {@code null}
     * @throws IOException when reading fails
     */
    String next() throws IOException;

    /**
     * The lines of a reader (which decides how bytes become characters).
     *
     * @param reader the reader
     * @return the source
     */
    static LineSource of(BufferedReader reader) {
        return reader::readLine;
    }
}
