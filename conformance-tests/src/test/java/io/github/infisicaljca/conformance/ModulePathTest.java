package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider as a Java module: a modular application ({@code requires io.github.infisicaljca})
 * compiled and run on the module path, and linked into a jlink image, signs and verifies against
 * an emulator in this JVM. The provider, Jackson and the application are the only modules given;
 * nothing is on the class path of the child processes.
 */
class ModulePathTest {
    /** The modules the application needs, found among this JVM's class path entries. */
    private static final List<String> MODULES = List.of("io.github.infisicaljca", "com.fasterxml.jackson.databind",
            "com.fasterxml.jackson.core", "com.fasterxml.jackson.annotation");

    private static KmsEmulator kms;
    private static String modulePath;
    private static Path consumerClasses;

    @TempDir
    static Path work;

    @BeforeAll
    static void compileConsumer() throws IOException {
        kms = KmsEmulator.builder().start();
        Map<String, Path> found = modulesOnClassPath();
        assertEquals(MODULES, List.copyOf(found.keySet()), "modules found on the test class path: " + found);
        modulePath = found.values().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));

        Path src = work.resolve("src");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror", "-d",
                (consumerClasses = work.resolve("consumer")).toString(), "--module-path", modulePath));
        for (String file : List.of("module-info.java", "consumer/Main.java")) {
            Path target = src.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = ModulePathTest.class.getResourceAsStream("/modular-consumer/" + file)) {
                Files.copy(in, target);
            }
            args.add(target.toString());
        }
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, rc, () -> "javac failed:\n" + diagnostics.toString(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stopEmulator() {
        if (kms != null) {
            kms.close();
        }
    }

    @Test
    void modularApplicationSignsAndVerifiesOnTheModulePath() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String output = run(java, "--module-path", consumerClasses + File.pathSeparator + modulePath);
        assertConsumerOutput(output);
    }

    @Test
    void jlinkImageWithProviderJacksonAndApplicationSignsAndVerifies() throws Exception {
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow();
        Path image = work.resolve("image");
        String linkPath = consumerClasses + File.pathSeparator + modulePath;
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        if (Files.isDirectory(jmods)) {
            // JDKs without jmods (JEP 493) link from their own run-time image instead.
            linkPath += File.pathSeparator + jmods;
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            int rc = jlink.run(out, out, "--module-path", linkPath, "--add-modules", "consumer", "--strip-debug",
                    "--no-header-files", "--no-man-pages", "--output", image.toString());
            assertEquals(0, rc, () -> "jlink failed:\n" + log.toString(StandardCharsets.UTF_8));
        }
        Path java = image.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        String modules = runProcess(List.of(java.toString(), "--list-modules"));
        for (String module : List.of("consumer", "io.github.infisicaljca", "com.fasterxml.jackson.databind",
                "com.fasterxml.jackson.core", "com.fasterxml.jackson.annotation", "java.net.http")) {
            assertTrue(modules.lines().anyMatch(l -> l.startsWith(module + "@") || l.equals(module)),
                    () -> module + " missing from the image:\n" + modules);
        }
        assertFalse(modules.contains("jdk.httpserver"), "the emulator's modules must not be in the image:\n" + modules);
        assertConsumerOutput(run(java));
    }

    private static void assertConsumerOutput(String output) {
        List<String> lines = output.lines().collect(Collectors.toList());
        List<String> expected = List.of(
                "module io.github.infisicaljca layer true",
                "exports jca false",
                "serviceloader Infisical io.github.infisicaljca.InfisicalProvider in io.github.infisicaljca",
                "serviceloader sign Infisical 512",
                "serviceloader verify SunRsaSign true tampered false",
                "addprovider sign Infisical 512",
                "addprovider verify SunRsaSign true infisical true",
                "done");
        for (String line : expected) {
            assertTrue(lines.contains(line), () -> "missing \"" + line + "\" in:\n" + output);
        }
        // The filtered resource inside the module is readable: the build's version, not "dev".
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("version ") && !l.equals("version dev")), output);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("handle io.github.infisicaljca.jca.")
                && l.endsWith(" encoded null")), output);
    }

    /** Runs the application with the emulator's coordinates as the provider's system properties. */
    private static String run(Path java, String... modulePathArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Dinfisical.url=" + kms.url());
        command.add("-Dinfisical.clientId=" + kms.clientId());
        command.add("-Dinfisical.clientSecret=" + kms.clientSecret());
        command.add("-Dinfisical.projectId=" + kms.projectId());
        command.add("-Dconsumer.keyName=" + KmsEmulator.SIGNING_KEY);
        command.addAll(List.of(modulePathArgs));
        command.addAll(List.of("-m", "consumer/consumer.Main"));
        return runProcess(command);
    }

    private static String runProcess(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Only what the command line gives: no class path, no ambient Infisical settings.
        builder.environment().keySet().removeIf(k -> k.equals("CLASSPATH") || k.equals("JDK_JAVA_OPTIONS")
                || k.equals("JAVA_TOOL_OPTIONS") || k.startsWith("INFISICAL_"));
        Process process = builder.start();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    /** Each wanted module's jar (or target/classes directory) among this JVM's class path entries, in MODULES order. */
    private static Map<String, Path> modulesOnClassPath() {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            boolean candidate = entry.endsWith(".jar") || Files.isRegularFile(path.resolve("module-info.class"));
            if (!candidate || !Files.exists(path)) {
                continue;
            }
            try {
                Optional<ModuleReference> module = ModuleFinder.of(path).findAll().stream().findFirst();
                module.filter(m -> !m.descriptor().isAutomatic() && MODULES.contains(m.descriptor().name()))
                        .ifPresent(m -> byName.putIfAbsent(m.descriptor().name(), path));
            } catch (FindException | UncheckedIOException e) {
                // not a module this test needs
            }
        }
        Map<String, Path> ordered = new LinkedHashMap<>();
        MODULES.stream().filter(byName::containsKey).forEach(n -> ordered.put(n, byName.get(n)));
        return ordered;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name").startsWith("Windows");
    }
}
