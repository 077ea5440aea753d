package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** One run of {@link Main#run} with an explicit environment and captured streams. */
record CliRun(int exit, String out, String err) {

    static CliRun run(Map<String, String> env, String stdin, String... args) {
        return run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    static CliRun run(Map<String, String> env, InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The non-empty lines of stdout. */
    List<String> outLines() {
        return out.isEmpty() ? List.of() : Arrays.stream(out.split("\n", -1)).filter(l -> !l.isEmpty()).toList();
    }

    /** Fails when a secret value shows on stdout or stderr. */
    CliRun assertNoSecrets(String... secrets) {
        for (String s : secrets) {
            assertFalse(out.contains(s), "a secret is on stdout");
            assertFalse(err.contains(s), "a secret is on stderr: " + err);
        }
        return this;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
