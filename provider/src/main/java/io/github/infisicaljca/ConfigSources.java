package io.github.infisicaljca;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The contract's layers, in order: explicit programmatic values, the {@code configure(...)}
 * input, Java system properties, environment variables, defaults. The first non-blank value
 * wins; a blank value counts as unset, as an exported-but-empty variable usually means.
 */
final class ConfigSources {
    /** The namespace of our settings: a name in it that names no setting is a mistake. */
    static final String PREFIX = "infisical.";
    /** {@code infisical.certificateChain.<alias>}: one setting per KeyStore alias, so a family of names. */
    static final String CHAIN_PREFIX = "infisical.certificateChain.";

    private final Map<String, String> explicit;
    private final Map<String, String> configured;
    private final Properties systemProperties;
    private final Map<String, String> environment;

    ConfigSources(Map<String, String> explicit, Map<String, String> configured,
            Properties systemProperties, Map<String, String> environment) {
        this.explicit = explicit;
        this.configured = configured;
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** The resolved value of a setting, or {@code null} when no layer (nor a default) has one. */
    String value(Setting setting) {
        String v = firstNonBlank(explicit.get(setting.property), configured.get(setting.property),
                systemProperties.getProperty(setting.property));
        if (v != null) {
            return v;
        }
        for (String variable : setting.environment) {
            v = firstNonBlank(environment.get(variable));
            if (v != null) {
                return v;
            }
        }
        return setting.defaultValue;
    }

    /**
     * The {@code infisical.certificateChain.<alias>} values by alias, each from the first layer
     * that has it (explicit, configure input, system properties; there is no variable for them).
     */
    Map<String, String> certificateChains() {
        Map<String, String> chains = new java.util.TreeMap<>();
        List<Map<String, String>> layers = new ArrayList<>(List.of(explicit, configured));
        Map<String, String> properties = new LinkedHashMap<>();
        for (String key : systemProperties.stringPropertyNames()) {
            properties.put(key, systemProperties.getProperty(key));
        }
        layers.add(properties);
        for (Map<String, String> layer : layers) {
            for (Map.Entry<String, String> e : layer.entrySet()) {
                String value = firstNonBlank(e.getValue());
                if (e.getKey().startsWith(CHAIN_PREFIX) && value != null) {
                    chains.putIfAbsent(e.getKey().substring(CHAIN_PREFIX.length()), value);
                }
            }
        }
        return chains;
    }

    /**
     * Names that name no setting: typos, mostly. Every key of the two layers that belong to us
     * alone, and the {@code infisical.*} system properties (a {@code -D} typo would otherwise
     * silently leave its setting at the default). Environment variables are not judged: the
     * {@code INFISICAL_*} namespace is shared with Infisical's own tools.
     */
    List<UnknownKey> unknownKeys() {
        List<UnknownKey> unknown = new ArrayList<>();
        for (Map<String, String> layer : List.of(explicit, configured)) {
            for (String key : layer.keySet()) {
                add(unknown, key, null);
            }
        }
        for (String key : systemProperties.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                add(unknown, key, "a system property");
            }
        }
        return unknown;
    }

    private static void add(List<UnknownKey> unknown, String key, String source) {
        boolean chain = key.startsWith(CHAIN_PREFIX) && key.length() > CHAIN_PREFIX.length();
        if (!chain && Setting.forProperty(key) == null && unknown.stream().noneMatch(u -> u.name().equals(key))) {
            unknown.add(new UnknownKey(key, source));
        }
    }

    /** A name that is no setting, and where it came from ({@code null}: the explicit or configure input). */
    record UnknownKey(String name, String source) {
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /**
     * Reads a {@code configure(String)} argument: a path to a {@code .properties} file or, when
     * it starts with {@code --}, the properties text itself (as SunPKCS11 does).
     */
    static Map<String, String> readConfigureArgument(String argument) {
        if (argument == null || argument.isBlank()) {
            throw new InfisicalConfigException("the configure argument is empty: give a path to a "
                    + ".properties file, or '--' followed by key=value lines");
        }
        Properties props = new Properties();
        if (argument.startsWith("--")) {
            load(props, new StringReader(argument.substring(2)), "the inline configuration");
        } else {
            Path path = Path.of(argument.strip());
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                load(props, reader, "configuration file '" + path + "'");
            } catch (NoSuchFileException e) {
                throw new InfisicalConfigException("configuration file '" + path + "' does not exist");
            } catch (IOException e) {
                throw new InfisicalConfigException("configuration file '" + path + "' cannot be read: "
                        + e.getClass().getSimpleName());
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            values.put(name, props.getProperty(name));
        }
        return values;
    }

    private static void load(Properties props, Reader reader, String what) {
        try {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException is a malformed \\u escape; its text never holds a value.
            throw new InfisicalConfigException(what + " is not valid properties text: " + e.getMessage());
        }
    }
}
