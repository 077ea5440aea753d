package io.github.infisicaljca.audit.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads variables from a given map (never the real environment), refusing empty and placeholder
 * values, and remembers which variables had a problem so that follow-up checks do not report
 * the same variable twice. Messages never show a secret variable's value.
 */
final class EnvReader {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> invalid = new HashSet<>();

    EnvReader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A non-secret value, trimmed; {@code null} when absent or refused. */
    String get(String name) {
        String raw = env.get(name);
        return accepted(name, raw, false) ? raw.strip() : null;
    }

    /**
     * A secret value; {@code null} when absent or refused. Trimmed unless {@code exact}, for
     * values whose every byte matters (an HMAC key is used as given, like the original did).
     */
    String secret(String name, boolean exact) {
        String raw = env.get(name);
        if (!accepted(name, raw, true)) {
            return null;
        }
        return exact ? raw : raw.strip();
    }

    /** A key id: must be a UUID. */
    String uuid(String name) {
        String v = get(name);
        if (v != null && !UUID.matcher(v).matches()) {
            problem(name, name + " '" + v + "' is not a key id: Infisical key ids are UUIDs such as "
                    + "1b4e28ba-2fa1-41d2-883f-0016d3cca427");
            return null;
        }
        return v;
    }

    /** Whether the variable is present at all, valid or not. */
    boolean present(String name) {
        return env.containsKey(name);
    }

    /** Whether a problem was already reported for the variable. */
    boolean invalid(String name) {
        return invalid.contains(name);
    }

    void problem(String name, String message) {
        invalid.add(name);
        problems.add(message);
    }

    void problem(String message) {
        problems.add(message);
    }

    List<String> problems() {
        return problems;
    }

    private boolean accepted(String name, String raw, boolean secret) {
        if (raw == null) {
            return false;
        }
        if (raw.isBlank()) {
            problem(name, emptyProblem(name));
            return false;
        }
        if (Placeholders.isPlaceholder(raw)) {
            problem(name, placeholderProblem(name, secret ? null : display(name, raw.strip())));
            return false;
        }
        return true;
    }

    static String emptyProblem(String name) {
        return name + " is set but empty: remove it or give it a real value";
    }

    /** @param shown the value as it may be shown; {@code null} for a secret, which is never shown */
    static String placeholderProblem(String name, String shown) {
        return name + (shown == null ? "" : " '" + shown + "'") + " looks like a placeholder (a template or sample"
                + " value), not a real value: set the real one";
    }

    private static String display(String name, String value) {
        return name.endsWith("_URL") ? Masking.url(value) : value;
    }
}
