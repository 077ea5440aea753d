package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's commands and snippets, read from README.md itself, against a running
 * {@code dev-server}: what a new user pastes after starting one must find its keys.
 */
class ReadmeCommandsTest {
    /** {@code ./infisical-jca} and its words, up to a redirection, a pipe, a comment or the end of a code span. */
    private static final Pattern COMMAND = Pattern.compile("\\./infisical-jca((?:[ \\t]+[^\\s`|<>#)]+)*)");
    /** A key named in Java: {@code ks.getKey("name", ...)}, {@code getCertificate("name")}, {@code keyByName("name")}. */
    private static final Pattern JAVA_KEY = Pattern.compile("(?:getKey|getCertificate|keyByName)\\(\"([^\"]+)\"");
    private static final Map<String, KeyUsage> USAGE_OF_COMMAND = Map.of("sign", KeyUsage.SIGN_VERIFY,
            "verify", KeyUsage.SIGN_VERIFY, "encrypt", KeyUsage.ENCRYPT_DECRYPT, "decrypt", KeyUsage.ENCRYPT_DECRYPT);

    private static String readme;
    private static List<List<String>> commands;

    @BeforeAll
    static void read() throws Exception {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        readme = Files.readString(root.resolve("README.md"));
        commands = new ArrayList<>();
        Matcher m = COMMAND.matcher(readme);
        while (m.find()) {
            List<String> words = Arrays.stream(m.group(1).trim().split("[ \\t]+")).filter(w -> !w.isEmpty())
                    .map(ReadmeCommandsTest::unquote).toList();
            if (!words.isEmpty()) {
                commands.add(words);
            }
        }
        assertTrue(commands.stream().anyMatch(c -> c.contains("--key")), "no command with --key found in README.md: "
                + commands);
    }

    @Test
    void everyKeyTheReadmeNamesIsOneTheDevServerSeeds() throws Exception {
        try (RunningDevServer s = new RunningDevServer("--rate-limit", "off")) {
            Map<String, KmsKey> byName = new LinkedHashMap<>();
            Map<String, KmsKey> byId = new LinkedHashMap<>();
            InfisicalConfig config = InfisicalConfig.builder().environment(s.exports).systemProperties(new Properties())
                    .build();
            try (KmsClient client = KmsClient.create(config)) {
                for (KmsKey k : client.listKeys(s.exports.get("INFISICAL_PROJECT_ID"))) {
                    byName.put(k.name(), k);
                    byId.put(k.id(), k);
                }
            }
            List<String> problems = new ArrayList<>();
            for (List<String> c : commands) {
                int i = c.indexOf("--key");
                if (i < 0) {
                    continue;
                }
                String key = c.get(i + 1);
                KmsKey found;
                if (key.startsWith("$")) {
                    String variable = key.substring(1).replace("{", "").replace("}", "");
                    found = byId.get(s.exports.get(variable));
                    if (found == null) {
                        problems.add(String.join(" ", c) + ": $" + variable + " is not a key id the dev-server exports");
                        continue;
                    }
                } else {
                    found = byName.get(key);
                }
                if (found == null) {
                    problems.add(String.join(" ", c) + ": no key '" + key + "'");
                } else if (USAGE_OF_COMMAND.containsKey(c.get(0)) && found.keyUsage() != USAGE_OF_COMMAND.get(c.get(0))) {
                    problems.add(String.join(" ", c) + ": '" + key + "' is a " + found.keyUsage().wireName() + " key");
                }
            }
            Matcher java = JAVA_KEY.matcher(readme);
            while (java.find()) {
                if (!byName.containsKey(java.group(1))) {
                    problems.add(java.group() + ": no key '" + java.group(1) + "'");
                }
            }
            for (String alias : jarsignerAliases()) {
                if (!byName.containsKey(alias)) {
                    problems.add("jarsigner ... " + alias + ": no key '" + alias + "'");
                }
            }
            assertEquals(List.of(), problems, "the dev-server's keys: " + byName.keySet());
        }
    }

    @Test
    void everyReadmeCommandIsOneTheCommandLineAccepts() {
        // --help after the README's own words: the options are checked, nothing runs
        for (List<String> c : commands) {
            List<String> args = new ArrayList<>(c);
            args.add("--help");
            CliRun r = CliRun.run(Map.of(), "", args.toArray(new String[0]));
            assertEquals(0, r.exit(), () -> "./infisical-jca " + String.join(" ", c) + "\n" + r);
        }
    }

    /** The alias of each signing {@code jarsigner} line in the README's shell blocks: the word after the jar. */
    private static List<String> jarsignerAliases() {
        List<String> aliases = new ArrayList<>();
        for (String line : readme.lines().map(String::strip).filter(l -> l.startsWith("jarsigner ")).toList()) {
            String[] words = line.replaceAll("#.*", "").trim().split("\\s+");
            if (!Arrays.asList(words).contains("-verify")) {
                aliases.add(words[words.length - 1]);
            }
        }
        assertTrue(!aliases.isEmpty(), "no signing jarsigner line found in README.md");
        return aliases;
    }

    private static String unquote(String word) {
        return word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"") ? word.substring(1, word.length() - 1)
                : word;
    }

    @Test
    void theExtractionSeesTheReadmesCommands() {
        String all = commands.stream().map(c -> String.join(" ", c)).collect(Collectors.joining("\n"));
        for (String expected : List.of("demo", "dev-server", "doctor", "keys", "audit seal", "audit verify")) {
            assertTrue(commands.stream().anyMatch(c -> String.join(" ", c).startsWith(expected)), expected + " in\n" + all);
        }
    }
}
