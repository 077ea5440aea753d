package io.github.infisicaljca.conformance;

import java.security.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Walks every service a provider registers, in the spirit of Conscrypt's ServiceTester: the
 * services come from {@link Provider#getServices()} (never from a list kept by the test), are
 * grouped by type, and each check runs on every service of its type. A failing check names
 * the service and what was checked; every service is tried before the check fails. Counts per
 * type go to the build log as {@code contract <type>: N services, M aliases, ...}.
 */
final class ServiceTester {
    /** A check of one service; it fails by throwing. */
    @FunctionalInterface
    interface Check {
        void check(Entry service) throws Exception;
    }

    /**
     * A registered service with what {@link Provider.Service} does not expose: its aliases and
     * attributes, read back from the provider's property table, where {@code putService} writes them.
     */
    record Entry(Provider.Service service, List<String> aliases, Map<String, String> attributes) {
        String type() {
            return service.getType();
        }

        String algorithm() {
            return service.getAlgorithm();
        }

        /** The standard name first, then the aliases. */
        List<String> names() {
            List<String> names = new ArrayList<>();
            names.add(algorithm());
            names.addAll(aliases);
            return names;
        }

        String id() {
            return type() + "." + algorithm();
        }

        @Override
        public String toString() {
            return id() + (aliases.isEmpty() ? "" : " " + aliases) + (attributes.isEmpty() ? "" : " " + attributes);
        }
    }

    private static final String ALIAS_PREFIX = "Alg.Alias.";

    private final Provider provider;
    private final SortedMap<String, List<Entry>> byType = new TreeMap<>();
    private final Tally tally = new Tally("contract");

    ServiceTester(Provider provider) {
        this.provider = provider;
        Map<String, List<String>> aliases = new TreeMap<>();
        Map<String, Map<String, String>> attributes = new TreeMap<>();
        for (Object k : provider.keySet()) {
            String key = (String) k;
            String value = provider.getProperty(key);
            if (key.startsWith(ALIAS_PREFIX)) {
                String rest = key.substring(ALIAS_PREFIX.length());
                int dot = rest.indexOf('.');
                aliases.computeIfAbsent(canonical(rest.substring(0, dot), value), x -> new ArrayList<>())
                        .add(rest.substring(dot + 1));
            } else if (!key.startsWith("Provider.") && key.indexOf(' ') > 0) {
                int dot = key.indexOf('.');
                int space = key.indexOf(' ');
                attributes.computeIfAbsent(canonical(key.substring(0, dot), key.substring(dot + 1, space)),
                        x -> new TreeMap<>(String.CASE_INSENSITIVE_ORDER)).put(key.substring(space + 1), value);
            }
        }
        for (Provider.Service s : provider.getServices()) {
            String c = canonical(s.getType(), s.getAlgorithm());
            List<String> a = new ArrayList<>(aliases.getOrDefault(c, List.of()));
            Collections.sort(a);
            byType.computeIfAbsent(s.getType(), t -> new ArrayList<>())
                    .add(new Entry(s, List.copyOf(a), Collections.unmodifiableMap(attributes.getOrDefault(c, Map.of()))));
        }
        for (Map.Entry<String, List<Entry>> e : byType.entrySet()) {
            e.getValue().sort((x, y) -> x.algorithm().compareTo(y.algorithm()));
            int aliasCount = e.getValue().stream().mapToInt(x -> x.aliases().size()).sum();
            tally.family(e.getKey()).describe(e.getValue().size() + " services, " + aliasCount + " aliases");
        }
    }

    private static String canonical(String type, String algorithm) {
        return type + "." + algorithm.toUpperCase(Locale.ENGLISH);
    }

    Provider provider() {
        return provider;
    }

    Set<String> types() {
        return Collections.unmodifiableSet(byType.keySet());
    }

    List<Entry> services(String type) {
        return Collections.unmodifiableList(byType.getOrDefault(type, List.of()));
    }

    List<Entry> services() {
        List<Entry> all = new ArrayList<>();
        byType.values().forEach(all::addAll);
        return all;
    }

    /** Runs {@code check} on every service of {@code type}; fails naming each service it failed on. */
    void check(String type, String what, Check check) {
        List<Entry> entries = services(type);
        if (entries.isEmpty()) {
            throw new AssertionError("the provider registers no " + type + " service to check (" + what + ")");
        }
        Tally.Family family = tally.family(type);
        List<String> failed = new ArrayList<>();
        AssertionError error = null;
        for (Entry e : entries) {
            Throwable t = family.vector(e.id() + " [" + what + "]", () -> check.check(e));
            if (t != null) {
                failed.add(e.id() + " [" + what + "]: " + t);
                if (error == null) {
                    error = new AssertionError("", t);
                } else {
                    error.addSuppressed(t);
                }
            }
        }
        if (error != null) {
            AssertionError named = new AssertionError(failed.size() + " of " + entries.size() + " " + type
                    + " services fail \"" + what + "\":\n  " + String.join("\n  ", failed), error.getCause());
            for (Throwable s : error.getSuppressed()) {
                named.addSuppressed(s);
            }
            throw named;
        }
    }

    /** Runs {@code check} on every service of every type. */
    void checkEvery(String what, Check check) {
        List<AssertionError> errors = new ArrayList<>();
        for (String type : types()) {
            try {
                check(type, what, check);
            } catch (AssertionError e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            AssertionError first = errors.get(0);
            errors.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** The count lines, one per type, e.g. {@code contract Signature: 13 services, 9 aliases, 91 run, 91 passed, 0 failed}. */
    List<String> summary() {
        return tally.lines();
    }

    void printSummary() {
        tally.print();
    }

    /** Per type, the names a caller can use: for tests that compare the registration with a table. */
    Map<String, Map<String, List<String>>> table() {
        Map<String, Map<String, List<String>>> table = new TreeMap<>();
        for (Entry e : services()) {
            table.computeIfAbsent(e.type(), t -> new LinkedHashMap<>()).put(e.algorithm(), e.aliases());
        }
        return table;
    }
}
