package io.github.infisicaljca.cli;

import java.util.Locale;

/** Counts and articles in the CLI's sentences: "1 event", "2 events", "an aes-256-gcm key", "a sign-verify key". */
final class Wording {
    /** Letters whose name starts with a vowel sound, so an initialism starting with one takes "an" (an RSA key). */
    private static final String VOWEL_SOUND_LETTERS = "AEFHILMNORSX";

    private Wording() {
    }

    /** {@code n} and the noun in the number it needs: "1 event", "0 events", "2 events". */
    static String count(long n, String singular) {
        return n + " " + (n == 1 ? singular : singular + "s");
    }

    /** As {@link #count(long, String)} for a noun whose plural is not its singular plus "s": "1 batch", "2 batches". */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** {@code word} after the article its sound takes: "an aes-256-gcm", "an RSA_4096", "an 8-byte", "a sign-verify". */
    static String a(String word) {
        return (vowelSound(word) ? "an " : "a ") + word;
    }

    private static boolean vowelSound(String word) {
        if (word.isEmpty()) {
            return false;
        }
        char first = word.charAt(0);
        if (Character.isDigit(first)) {
            int digits = 0;
            while (digits < word.length() && Character.isDigit(word.charAt(digits))) {
                digits++;
            }
            // eight, eighty, eight hundred...; eleven and eighteen (thousand, million...).
            return first == '8' || (digits % 3 == 2 && (word.startsWith("11") || word.startsWith("18")));
        }
        int letters = 0;
        while (letters < word.length() && Character.isLetter(word.charAt(letters))) {
            letters++;
        }
        String lead = word.substring(0, letters);
        boolean initialism = (lead.length() > 1 && lead.equals(lead.toUpperCase(Locale.ROOT)))
                || lead.length() == 1 || lead.equals("hmac");
        if (initialism) {
            return VOWEL_SOUND_LETTERS.indexOf(Character.toUpperCase(first)) >= 0;
        }
        String lower = lead.toLowerCase(Locale.ROOT);
        if (lower.startsWith("one") || lower.matches("u(ni|s[aeu]|ti).*")) {
            return false; // a one-time, a unique, a user, a usage
        }
        return "aeiou".indexOf(lower.charAt(0)) >= 0;
    }
}
