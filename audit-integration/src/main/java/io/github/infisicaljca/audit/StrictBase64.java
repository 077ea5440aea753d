package io.github.infisicaljca.audit;

import java.util.Base64;

/**
 * Standard base64 with padding, exactly: the form Infisical returns signatures in and the
 * original stores them. The JDK's decoder also takes a missing padding and non-zero unused bits
 * in the last character, so several strings would stand for one signature; a verifier accepts
 * only the one canonical string, so a sealed event has exactly one valid spelling.
 */
public final class StrictBase64 {
    /** The one accepted encoding, as messages name it. */
    public static final String FORM = "standard base64 with padding";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private StrictBase64() {
    }

    /**
     * Decodes the canonical encoding only.
     *
     * @param s the text
     * @return the bytes, or {@code null} when {@code s} is not exactly the canonical encoding of some bytes
     */
    public static byte[] decode(String s) {
        return problem(s) == null ? Base64.getDecoder().decode(s) : null;
    }

    /**
     * Explains a refusal.
     *
     * @param s the text
     * @return why {@code s} is not the canonical standard padded encoding; {@code null} when it is. Never quotes {@code s}
     */
    public static String problem(String s) {
        if (s.isEmpty()) {
            return "it is empty";
        }
        int padding = s.indexOf('=');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                return "it contains white space (a line break or a space)";
            }
            if (c == '-' || c == '_') {
                return "it contains '" + c + "' of the URL-safe alphabet";
            }
            if (c != '=' && padding >= 0 && i > padding) {
                return "characters follow the '=' padding";
            }
            if (c != '=' && ALPHABET.indexOf(c) < 0) {
                return "it contains a character outside the base64 alphabet";
            }
        }
        if (s.length() % 4 != 0) {
            return padding < 0 ? "the '=' padding is missing" : "its length is not a multiple of 4 (wrong '=' padding)";
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return "too much '=' padding";
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
            return "the unused bits of its last character are not zero (not the canonical encoding)";
        }
        return null;
    }
}
