package io.github.infisicaljca.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny option parser: {@code --name VALUE} or {@code --name=VALUE} for the options a command
 * allows, plus {@code -h}/{@code --help}. Anything else is a usage error.
 */
final class Args {
    private final Map<String, List<String>> values;
    private final boolean help;
    private final List<String> flags;

    private Args(Map<String, List<String>> values, boolean help, List<String> flags) {
        this.values = values;
        this.help = help;
        this.flags = flags;
    }

    /**
     * @param allowed option names without the leading dashes, each taking one value
     * @throws CliException (usage) for an unknown option, a missing value, a repeated option or an operand
     */
    static Args parse(List<String> args, List<String> allowed) throws CliException {
        return parse(args, allowed, List.of());
    }

    /**
     * As {@link #parse(List, List)}, plus {@code flags}: option names (without dashes) that take
     * no value and are either present or not.
     */
    static Args parse(List<String> args, List<String> allowed, List<String> allowedFlags) throws CliException {
        return parse(args, allowed, allowedFlags, List.of());
    }

    /**
     * As {@link #parse(List, List, List)}, plus {@code repeatable}: options (without dashes)
     * that may be given more than once, read with {@link #list}.
     */
    static Args parse(List<String> args, List<String> allowed, List<String> allowedFlags, List<String> repeatable)
            throws CliException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> flags = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                help = true;
                continue;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                throw CliException.usage("unexpected argument '" + a + "'");
            }
            int eq = a.indexOf('=');
            String name = a.substring(2, eq < 0 ? a.length() : eq);
            if (allowedFlags.contains(name)) {
                if (eq >= 0) {
                    throw CliException.usage("option --" + name + " takes no value");
                }
                if (flags.contains(name)) {
                    throw CliException.usage("option --" + name + " is given twice");
                }
                flags.add(name);
                continue;
            }
            if (!allowed.contains(name) && !repeatable.contains(name)) {
                List<String> all = new ArrayList<>(allowed);
                all.addAll(repeatable);
                all.addAll(allowedFlags);
                throw CliException.usage("unknown option --" + name + (all.isEmpty() ? ""
                        : " (options: --" + String.join(", --", all) + ")"));
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw CliException.usage("option --" + name + " needs a value");
            }
            if (value.isEmpty()) {
                throw CliException.usage("option --" + name + " needs a non-empty value");
            }
            List<String> given = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!given.isEmpty() && !repeatable.contains(name)) {
                throw CliException.usage("option --" + name + " is given twice");
            }
            given.add(value);
        }
        return new Args(values, help, List.copyOf(flags));
    }

    /** The arguments from index {@code from} on. */
    static List<String> rest(String[] args, int from) {
        return Arrays.asList(args).subList(Math.min(from, args.length), args.length);
    }

    boolean help() {
        return help;
    }

    /** Whether the value-less option {@code --name} was given. */
    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The value of {@code --name} (the first, for a repeatable option); {@code null} when absent. */
    String get(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(0);
    }

    Path path(String name) throws CliException {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw CliException.usage("--" + name + ": not a valid path: " + e.getReason());
        }
    }

    /**
     * A comma-separated list (over every occurrence of a repeatable option), entries trimmed,
     * empty entries dropped; {@code null} when the option is absent.
     */
    List<String> list(String name) {
        List<String> given = values.get(name);
        if (given == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String v : given) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
