package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's and the audit port's log records (System.Logger, through java.util.logging) as terminal lines. */
class TerminalLoggingTest {
    @TempDir
    Path dir;

    private static String logged(Level level, String format, Object... params) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TerminalLogging.Installed installed = TerminalLogging.install(new PrintStream(err, true,
                StandardCharsets.UTF_8))) {
            System.getLogger("io.github.infisicaljca.kms").log(level, format, params);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWarningIsOneLineWithoutTimestampOrClass() {
        assertEquals("warning: encrypt key 1: HTTP 500; retry 1 of 3 in 250 ms\n",
                logged(Level.WARNING, "{0}{1}: {2}; retry {3} of {4} in {5,number,#} ms", "encrypt", " key 1",
                        "HTTP 500", 1, 3, 250));
        assertEquals("error: it broke\n", logged(Level.ERROR, "it broke"));
        assertEquals("", logged(Level.DEBUG, "below the default level"));
    }

    @Test
    void aLoggedServerMessageCannotStartALineOfItsOwn() {
        assertEquals("warning: HTTP 500: \\u001b[2Kok\\u000aall good\n",
                logged(Level.WARNING, "HTTP 500: {0}", "\u001b[2Kok\nall good"));
    }

    @Test
    void uninstallingRestoresTheHandlersThatWereThere() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        List<java.util.logging.Handler> before = List.of(root.getHandlers());
        logged(Level.WARNING, "x");
        assertEquals(before, List.of(root.getHandlers()));
    }

    /** The command line in its own JVM, as users run it: a KMS 500 during encrypt. */
    @Test
    void theRetryWarningsOfAFailingEncryptAreOneLineEachAndTheExitIsOne() throws Exception {
        try (KmsEmulator kms = KmsEmulator.builder().start()) {
            kms.inject("POST", "/encrypt$", Fault.status(500), -1);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("surefire.test.class.path",
                    System.getProperty("java.class.path")), Main.class.getName(), "encrypt", "--key",
                    KmsEmulator.ENCRYPTION_KEY));
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(Files.write(dir.resolve("in"), new byte[] {1})
                    .toFile()).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("INFISICAL_") || k.startsWith("KMS_")
                    || k.startsWith("AUDIT_") || k.startsWith("JAVA_TOOL"));
            pb.environment().putAll(KeyCommandsTest.env(kms, true));
            Process p = pb.start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command did not end");
            List<String> err = Files.readAllLines(dir.resolve("err"), StandardCharsets.UTF_8);

            assertEquals(1, p.exitValue(), String.join("\n", err));
            assertEquals(4, err.size(), String.join("\n", err)); // three retries, then the CLI's own message
            for (String line : err.subList(0, 3)) {
                assertTrue(line.startsWith("warning: encrypt key ") && line.contains("HTTP 500"), line);
            }
            assertTrue(err.get(3).startsWith("infisical-jca: key encryption-key cannot encrypt: "), err.get(3));
            assertFalse(String.join("\n", err).contains("RequestExecutor"), "a class name line of java.util.logging");
        }
    }
}
