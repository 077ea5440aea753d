package io.github.infisicaljca.cli;

/**
 * Makes text that came from input (an event's fields, a file name, a key name, a server's
 * message) safe to print: a control character (C0, DEL, C1), a line or paragraph separator and
 * a bidirectional embedding, override or isolate (U+202A to U+202E, U+2066 to U+2069) become
 * their visible {@code \\uXXXX} form. So input can neither start a line of its own, move the
 * cursor, recolour the terminal nor reorder what is shown; everything else, accents and emoji
 * included, stays as it is. Every path that prints such text goes through {@link #safe}.
 */
final class TerminalText {
    private TerminalText() {
    }

    /** {@code s} with its unsafe characters escaped ({@code "null"} for {@code null}); {@code s} itself when it has none. */
    static String safe(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unsafe(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    private static boolean unsafe(char c) {
        return Character.getType(c) == Character.CONTROL // C0, DEL and C1
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
