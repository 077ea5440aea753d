package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own {@code keytool} and {@code jarsigner} (from the JDK running the tests), run as
 * child processes with a bound on their run time and their output kept in a log file.
 */
final class JdkTools {
    private static final long TIMEOUT_SECONDS = 180;

    private JdkTools() {
    }

    record ToolRun(int exit, String output) {
    }

    static String tool(String name) {
        Path p = Path.of(System.getProperty("java.home"), "bin", name);
        assertTrue(Files.isExecutable(p), p + " is not there: a JDK (not a JRE) must run the tests");
        return p.toString();
    }

    /**
     * The options that put the provider on a tool's class path: the tools run with a main module
     * (java.base, jdk.jartool), so java.net.http (the provider's HTTP client) must be added.
     */
    static List<String> classPathOptions() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of("-J-cp", "-J" + cp, "-J--add-modules", "-Jjava.net.http");
    }

    static List<String> cmd(String tool, List<String> head, List<String> tail) {
        List<String> c = new ArrayList<>();
        c.add(tool(tool));
        c.addAll(head);
        c.addAll(tail);
        return c;
    }

    static ToolRun run(Path logDir, List<String> command) throws Exception {
        return run(logDir, command, Map.of());
    }

    /** Runs the command with {@code env} added to this process's environment; no input (a prompt fails). */
    static ToolRun run(Path logDir, List<String> command, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(logDir, "tool", ".log");
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(env);
        Process p = b.start();
        p.getOutputStream().close();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("timed out after " + TIMEOUT_SECONDS + " s: " + command + "\n" + Files.readString(log));
        }
        return new ToolRun(p.exitValue(), Files.readString(log));
    }
}
