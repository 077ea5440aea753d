package io.github.infisicaljca.audit.config;

import io.github.infisicaljca.Secret;

/** Display helpers that keep secrets out of views and messages. */
final class Masking {
    /** What an absent optional value shows as. */
    static final String UNSET = "<unset>";

    private Masking() {
    }

    /**
     * A URL safe to show: credentials before an {@code @} and any query string become
     * {@value Secret#MASK}, for example {@code https://***MASKED***@host/path}. Works on
     * malformed URLs too: everything between {@code ://} and the last {@code @} is masked.
     */
    static String url(String raw) {
        if (raw == null) {
            return UNSET;
        }
        String prefix = "";
        String rest = raw;
        int scheme = raw.indexOf("://");
        if (scheme >= 0) {
            prefix = raw.substring(0, scheme + 3);
            rest = raw.substring(scheme + 3);
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            prefix = prefix + Secret.MASK;
            rest = rest.substring(at);
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query + 1) + Secret.MASK;
        }
        return prefix + rest;
    }

    /** {@value Secret#MASK} for a present secret, {@value #UNSET} for an absent one. */
    static String secret(Secret secret) {
        return secret == null ? UNSET : Secret.MASK;
    }

    static String plain(String value) {
        return value == null ? UNSET : value;
    }

    /** The text with every occurrence of each given secret value replaced by the mask. */
    static String scrub(String text, Secret... secrets) {
        String out = text;
        for (Secret s : secrets) {
            if (s != null) {
                out = out.replace(s.reveal(), Secret.MASK);
            }
        }
        return out;
    }
}
