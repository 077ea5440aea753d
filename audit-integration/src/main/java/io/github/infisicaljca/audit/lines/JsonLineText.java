package io.github.infisicaljca.audit.lines;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Seal fields appended to an event's own JSON text: the line as it came in, its last '}' moved
 * after the new fields. The event's fields keep their exact text (number forms, escapes,
 * spacing), and no JSON tree is written back, which is most of the cost of a line.
 */
final class JsonLineText {
    private JsonLineText() {
    }

    /**
     * The UTF-8 bytes of {@code object} (a JSON object's text that has been parsed) with
     * {@code fields} (a field list without braces) appended inside it, then {@code end}.
     */
    static byte[] append(String object, String fields, String end) {
        String text = escapeLoneSurrogates(object);
        int close = text.length();
        while (close > 0 && isJsonSpace(text.charAt(close - 1))) {
            close--;
        }
        if (close == 0 || text.charAt(close - 1) != '}') {
            throw new IllegalArgumentException("an audit event must be a JSON object");
        }
        int last = close - 1;
        while (last > 0 && isJsonSpace(text.charAt(last - 1))) {
            last--;
        }
        boolean empty = last > 0 && text.charAt(last - 1) == '{';
        StringBuilder b = new StringBuilder(last + fields.length() + end.length() + 1);
        b.append(text, 0, last);
        if (!empty) {
            b.append(',');
        }
        return b.append(fields).append(end).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code "s"} as a JSON string literal. */
    static String quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
            }
        }
        return "\"" + s + '"'; // printable ASCII without a quote or backslash: hex, base64, algorithm names
    }

    private static boolean isJsonSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * A lone surrogate (which a JSON {@code "\ud800"} escape can carry and UTF-8 cannot encode)
     * as its {@code \\uXXXX} escape, so that the line parses to exactly the event that was sealed.
     */
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
