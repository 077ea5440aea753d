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
 * The commands and snippets of README.md and of every page under docs/, read from the files
 * themselves, against a running {@code dev-server}: what a new user pastes after starting one
 * must find its keys. Also: every relative link of those files reaches a file (and heading).
 */
class ReadmeCommandsTest {
    /** A shell word: quoted strings (spaces and all) and plain characters up to a redirection, pipe or comment. */
    private static final String WORD = "(?:\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s`|<>#)\"'])+";
    /** {@code ./infisical-jca} and its words, up to a redirection, a pipe, a comment or the end of a code span. */
    private static final Pattern COMMAND = Pattern.compile("\\./infisical-jca((?:[ \\t]+" + WORD + ")*)");
    private static final Pattern WORDS = Pattern.compile(WORD);
    /** A shell line continuation: the next line belongs to the same command. */
    private static final Pattern CONTINUATION = Pattern.compile("\\\\\\n[ \\t]*");
    /** A key named in Java: {@code ks.getKey("name", ...)}, {@code getCertificate("name")}, {@code keyByName("name")}. */
    private static final Pattern JAVA_KEY = Pattern.compile("(?:getKey|getCertificate|keyByName)\\(\"([^\"]+)\"");
    private static final Map<String, KeyUsage> USAGE_OF_COMMAND = Map.of("sign", KeyUsage.SIGN_VERIFY,
            "verify", KeyUsage.SIGN_VERIFY, "csr", KeyUsage.SIGN_VERIFY, "encrypt", KeyUsage.ENCRYPT_DECRYPT,
            "decrypt", KeyUsage.ENCRYPT_DECRYPT);

    /** A relative Markdown link: {@code [text](path)}, {@code [text](path#anchor)} or {@code [text](#anchor)}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#:]*)(?:#([^)\\s]*))?\\)");

    private static Path root;
    /** README.md, then docs/*.md by name: file name (relative to the root) to text. */
    private static Map<String, String> documents;
    /** All of them, one after the other. */
    private static String readme;
    private static List<List<String>> commands;
    private static List<List<String>> readmeCommands;

    @BeforeAll
    static void read() throws Exception {
        root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        documents = new LinkedHashMap<>();
        documents.put("README.md", Files.readString(root.resolve("README.md")));
        try (var pages = Files.list(root.resolve("docs"))) {
            for (Path page : pages.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList()) {
                documents.put("docs/" + page.getFileName(), Files.readString(page));
            }
        }
        readme = String.join("\n", documents.values());
        commands = commandsOf(readme);
        readmeCommands = commandsOf(documents.get("README.md"));
        assertTrue(commands.stream().anyMatch(c -> c.contains("--key")), "no command with --key found in "
                + documents.keySet() + ": " + commands);
    }

    private static List<List<String>> commandsOf(String text) {
        List<List<String>> found = new ArrayList<>();
        Matcher m = COMMAND.matcher(joinContinuations(text));
        while (m.find()) {
            List<String> words = new ArrayList<>();
            Matcher w = WORDS.matcher(m.group(1));
            while (w.find()) {
                words.add(unquote(w.group()));
            }
            if (!words.isEmpty()) {
                found.add(words);
            }
        }
        return found;
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
        for (String line : joinContinuations(readme).lines().map(String::strip).filter(l -> l.startsWith("jarsigner "))
                .toList()) {
            String[] words = line.replaceAll("#.*", "").trim().split("\\s+");
            if (!Arrays.asList(words).contains("-verify")) {
                aliases.add(words[words.length - 1]);
            }
        }
        assertTrue(!aliases.isEmpty(), "no signing jarsigner line found in " + documents.keySet());
        return aliases;
    }

    private static String unquote(String word) {
        boolean quoted = word.length() >= 2 && (word.startsWith("\"") && word.endsWith("\"")
                || word.startsWith("'") && word.endsWith("'"));
        return quoted ? word.substring(1, word.length() - 1) : word;
    }

    private static String joinContinuations(String text) {
        return CONTINUATION.matcher(text).replaceAll(" ");
    }

    @Test
    void theExtractionSeesTheReadmesCommands() {
        // the README itself keeps the first-ten-minutes commands; the docs pages hold the rest
        String all = readmeCommands.stream().map(c -> String.join(" ", c)).collect(Collectors.joining("\n"));
        for (String expected : List.of("demo", "dev-server", "doctor", "keys", "sign --key", "verify --key",
                "encrypt --key", "decrypt --key", "audit seal", "audit verify")) {
            assertTrue(readmeCommands.stream().anyMatch(c -> String.join(" ", c).startsWith(expected)),
                    expected + " in README.md:\n" + all);
        }
        // and the reference pages are read too: the command line's, and jarsigner's (its lines are checked above)
        assertTrue(documents.containsKey("docs/jarsigner-keytool.md"), "docs/jarsigner-keytool.md in " + documents.keySet());
        assertTrue(!commandsOf(documents.getOrDefault("docs/cli.md", "")).isEmpty(), "commands in docs/cli.md");
    }

    @Test
    void everyRelativeLinkReachesAFileAndHeading() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> doc : documents.entrySet()) {
            Path from = root.resolve(doc.getKey());
            Matcher m = LINK.matcher(doc.getValue());
            while (m.find()) {
                String target = m.group(1);
                Path file = target.isEmpty() ? from : from.getParent().resolve(target).normalize();
                if (!Files.exists(file)) {
                    problems.add(doc.getKey() + ": " + m.group() + ": no file " + root.relativize(file));
                } else if (m.group(2) != null && file.toString().endsWith(".md")
                        && !anchorsOf(Files.readString(file)).contains(m.group(2))) {
                    problems.add(doc.getKey() + ": " + m.group() + ": no heading #" + m.group(2) + " in "
                            + root.relativize(file));
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** GitHub's anchors of a Markdown text's headings (outside code blocks). */
    private static List<String> anchorsOf(String markdown) {
        List<String> anchors = new ArrayList<>();
        boolean code = false;
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(java.util.Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
