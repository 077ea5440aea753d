package io.github.infisicaljca.audit;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as Node's {@code Buffer.from(s, "utf8")}: like Java's encoder, a lone surrogate becomes
 * U+FFFD (EF BF BD). The canonical string never holds one (JSON.stringify escapes them), so
 * this matters only for secrets and raw hashes, where both sides then agree too.
 */
final class Utf8 {
    private Utf8() {
    }

    static byte[] encode(String s) {
        // String.getBytes replaces malformed input with '?', not U+FFFD: re-encode lone surrogates first.
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isHighSurrogate(c) ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (lone && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(lone ? '\uFFFD' : c);
            }
        }
        return (sb == null ? s : sb.toString()).getBytes(StandardCharsets.UTF_8);
    }
}
