package io.github.infisicaljca.cli;

import io.github.infisicaljca.audit.lines.LineSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads JSON Lines: strict UTF-8 (malformed bytes are an error, never silently replaced),
 * lines ended by {@code \n} or {@code \r\n}, a leading byte order mark dropped, and at most
 * {@link #MAX_LINE_CHARS} characters per line, so memory stays bounded whatever the input.
 */
final class LineReader implements Closeable {
    /** The longest line accepted (an audit event is a few kilobytes). */
    static final int MAX_LINE_CHARS = 8 * 1024 * 1024;

    private final Reader reader;
    private final char[] buffer = new char[16 * 1024];
    private final StringBuilder line = new StringBuilder(1024);
    private final int maxLineChars;
    private int pos;
    private int end;
    private int lineNumber;

    LineReader(InputStream in) {
        this(in, MAX_LINE_CHARS);
    }

    LineReader(InputStream in, int maxLineChars) {
        this.reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        this.maxLineChars = maxLineChars;
    }

    /** The number of the line last returned (1-based), or of the line being read when an error occurred. */
    int lineNumber() {
        return lineNumber;
    }

    /**
     * The next line without its terminator, or {@code null} at the end of the input.
     *
     * @throws CliException (failure) for input that is not UTF-8 or a line that is too long
     */
    String next() throws IOException, CliException {
        line.setLength(0);
        lineNumber++;
        boolean any = false;
        while (true) {
            if (pos == end) {
                try {
                    end = reader.read(buffer, 0, buffer.length);
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw CliException.failure("line " + lineNumber + ": the input is not valid UTF-8");
                }
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return any ? finish() : null;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buffer[pos] != '\n') {
                pos++;
            }
            if (line.length() + (pos - start) > maxLineChars) {
                throw CliException.failure("line " + lineNumber + " is longer than " + maxLineChars
                        + " characters; an audit event is one line of JSON");
            }
            line.append(buffer, start, pos - start);
            if (pos < end) {
                pos++; // the '\n'
                return finish();
            }
        }
    }

    private String finish() {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
            line.setLength(len - 1);
        }
        if (lineNumber == 1 && line.length() > 0 && line.charAt(0) == '\uFEFF') {
            line.deleteCharAt(0);
        }
        return line.toString();
    }

    /** This reader as the audit library's line source: a {@link CliException} comes out as a {@link Failure}. */
    LineSource source() {
        return () -> {
            try {
                return next();
            } catch (CliException e) {
                throw new Failure(e);
            }
        };
    }

    /** A reading error of the command line's own, carried through the library as an {@link IOException}. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        final transient CliException cause;

        Failure(CliException cause) {
            super(cause.getMessage(), null);
            this.cause = cause;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
