package io.github.infisicaljca.audit;

/**
 * JavaScript's {@code JSON.stringify} of a string, exactly (ECMA-262, QuoteJSONString, as in
 * Node 12+): {@code "} and {@code \} escaped, {@code \b \f \n \r \t} by name, every other code
 * unit below U+0020 as {@code \\u00xx} in lower-case hex, lone surrogates as {@code \\udxxx}, and
 * everything else (U+007F, U+2028/U+2029, non-ASCII, paired surrogates) as it is.
 */
public final class JsJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsJson() {
    }

    /**
     * JavaScript's {@code JSON.stringify} of a string. Also RFC 8785's string form: the batch
     * format's canonical JSON writes strings through here.
     *
     * @param s the string
     * @return it quoted and escaped
     */
    public static String stringify(String s) {
        return appendTo(new StringBuilder(s.length() + 2), s).toString();
    }

    /**
     * {@link #stringify} appended to {@code out}, without a String of its own: canonical JSON's hot path.
     *
     * @param out where to append
     * @param s the string
     * @return {@code out}
     */
    public static StringBuilder appendTo(StringBuilder out, String s) {
        out.append('"');
        int plain = plainPrefix(s);
        out.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || isLoneSurrogate(s, i)) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }

    /** How many leading characters need no escape (most strings: all of them), copied in one go. */
    private static int plainPrefix(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                return i;
            }
        }
        return s.length();
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
