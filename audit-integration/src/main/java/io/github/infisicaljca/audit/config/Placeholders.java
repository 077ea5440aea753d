package io.github.infisicaljca.audit.config;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises values that were copied from a template or documentation instead of being filled
 * in. Checked case-insensitively on the trimmed value.
 */
final class Placeholders {
    private static final Set<String> EXACT = Set.of(
            "changeme", "change-me", "change_me", "change me", "changeit", "change-it",
            "replaceme", "replace-me", "replace_me",
            "your-secret-here", "your_secret_here", "secret", "mysecret", "my-secret", "password",
            "passwd", "pass", "placeholder", "todo", "tbd", "fixme", "xxx", "example", "sample",
            "dummy", "default", "foo", "bar", "test-secret", "null", "nil", "none", "undefined",
            "\"\"", "''", "***masked***", "00000000-0000-0000-0000-000000000000");
    /** Fragments that no real value contains. */
    private static final String[] CONTAINS = {"changeme", "change-me", "change_me", "replace-me", "replaceme"};
    private static final Pattern FILLER = Pattern.compile("x{3,}|\\*+|\\.+|-+|_+|\\?+|#+");
    private static final Pattern WRAPPED = Pattern.compile("<.*>|\\$\\{.*}|\\{\\{.*}}|%[a-z0-9_]+%|\\$[a-z_][a-z0-9_]*",
            Pattern.DOTALL);
    private static final Pattern PREFIX = Pattern.compile("(your|insert|enter|put)[-_ ].*", Pattern.DOTALL);
    /** Documentation hosts (RFC 2606 / RFC 6761): example.com/.net/.org and the .example, .invalid TLDs. */
    private static final Pattern SAMPLE_HOST = Pattern.compile(
            "[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?(?:[^/?#:]*\\.)?(example\\.(com|net|org)|[^/?#:]*\\.(example|invalid))(?:[:/?#].*)?",
            Pattern.DOTALL);

    private Placeholders() {
    }

    /** Whether the value is a placeholder; {@code null} and blank values are not (they are "empty"). */
    static boolean isPlaceholder(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (EXACT.contains(v) || FILLER.matcher(v).matches() || WRAPPED.matcher(v).matches()
                || PREFIX.matcher(v).matches() || SAMPLE_HOST.matcher(v).matches()) {
            return true;
        }
        for (String fragment : CONTAINS) {
            if (v.contains(fragment)) {
                return true;
            }
        }
        return false;
    }
}
