package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's modules on the module path. A modular application ({@code requires
 * io.github.infisicaljca}) compiled and run on the module path, and linked into a jlink image,
 * signs and verifies against an emulator in this JVM; the emulator runs as a module and an
 * application requiring only the audit module seals and verifies against it. The child processes
 * get only the modules they need (the provider's or audit's jar, or its target/classes as an
 * exploded module, and Jackson's jars) and no class path.
 */
class ModulePathTest {
    /** The modules the application needs, found among this JVM's class path entries. */
    private static final List<String> MODULES = List.of("io.github.infisicaljca", "com.fasterxml.jackson.databind",
            "com.fasterxml.jackson.core", "com.fasterxml.jackson.annotation");
    private static final String AUDIT = "io.github.infisicaljca.audit";
    private static final String EMULATOR = "io.github.infisicaljca.emulator";
    /** Every module this test looks for on its class path. */
    private static final List<String> ALL = List.of("io.github.infisicaljca", "com.fasterxml.jackson.databind",
            "com.fasterxml.jackson.core", "com.fasterxml.jackson.annotation", AUDIT, EMULATOR);

    private static KmsEmulator kms;
    private static Map<String, Path> found;
    private static String modulePath;
    private static Path consumerClasses;

    @TempDir
    static Path work;

    @BeforeAll
    static void compileConsumer() throws IOException {
        kms = KmsEmulator.builder().start();
        found = modulesOnClassPath();
        assertEquals(ALL, List.copyOf(found.keySet()), "modules found on the test class path: " + found);
        modulePath = modulePath(MODULES);
        consumerClasses = compile("modular-consumer", "consumer/Main.java", modulePath);
    }

    /** Compiles a module from the test resources (its module-info.java and one class) against {@code path}. */
    private static Path compile(String resources, String mainClass, String path) throws IOException {
        Path classes = work.resolve(resources + "-classes");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror", "-d",
                classes.toString(), "--module-path", path));
        for (String file : List.of("module-info.java", mainClass)) {
            Path target = work.resolve(resources).resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = ModulePathTest.class.getResourceAsStream("/" + resources + "/" + file)) {
                Files.copy(in, target);
            }
            args.add(target.toString());
        }
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, rc, () -> "javac failed:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        return classes;
    }

    private static String modulePath(List<String> modules) {
        return modules.stream().map(found::get).map(Path::toString).collect(Collectors.joining(File.pathSeparator));
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
        String output = run(java, kms.url().toString(), "--module-path", consumerClasses + File.pathSeparator + modulePath,
                "-m", "consumer/consumer.Main");
        assertConsumerOutput(output);
    }

    /**
     * {@code security.provider.N=io.github.infisicaljca.InfisicalProvider /path/infisical.properties}:
     * on the module path the JDK finds the provider's class through its {@code provides}, calls
     * {@code configure(path)}, and a standard algorithm name picks it for a handle.
     */
    @Test
    void javaSecurityEntryRegistersTheProviderFromTheModulePath() throws Exception {
        int n = 1;
        while (java.security.Security.getProperty("security.provider." + n) != null) {
            n++;
        }
        Path config = work.resolve("infisical.properties");
        Properties settings = new Properties();
        settings.setProperty("infisical.url", kms.url().toString());
        settings.setProperty("infisical.clientId", kms.clientId());
        settings.setProperty("infisical.clientSecret", kms.clientSecret());
        settings.setProperty("infisical.projectId", kms.projectId());
        try (Writer w = Files.newBufferedWriter(config)) {
            settings.store(w, null);
        }
        Path securityFile = work.resolve("java.security.extra");
        Properties security = new Properties();
        security.setProperty("security.provider." + n, "io.github.infisicaljca.InfisicalProvider " + config);
        try (Writer w = Files.newBufferedWriter(securityFile)) {
            security.store(w, null);
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + securityFile, "-Dconsumer.keyName=" + KmsEmulator.SIGNING_KEY,
                "--module-path", consumerClasses + File.pathSeparator + modulePath, "-m", "consumer/consumer.Main",
                "java.security");
        String output = runProcess(command);
        List<String> lines = output.lines().collect(Collectors.toList());
        for (String line : List.of("module io.github.infisicaljca layer true",
                "java.security io.github.infisicaljca configured true",
                "java.security sign Infisical verify SunRsaSign true", "done")) {
            assertTrue(lines.contains(line), () -> "missing \"" + line + "\" in:\n" + output);
        }
    }

    /**
     * The emulator runs as a module in its own process (jdk.httpserver, Jackson, no class path),
     * and an application requiring only the audit module seals and verifies an event with a key
     * it holds, using provider and Jackson types that the audit module's requires transitive makes
     * readable.
     */
    @Test
    void emulatorModuleAndAuditModuleWorkOnTheModulePath() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> emulatorModules = new ArrayList<>(MODULES.subList(1, MODULES.size()));
        emulatorModules.add(EMULATOR);
        Process emulator = new ProcessBuilder(java.toString(), "--module-path", modulePath(emulatorModules), "-m",
                EMULATOR + "/io.github.infisicaljca.emulator.Main", "--port", "0", "--rate-limit", "off")
                .redirectErrorStream(true).start();
        try {
            Map<String, String> exports = new LinkedHashMap<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null && !line.equals("# ready"); line = out.readLine()) {
                if (line.startsWith("export ")) {
                    exports.put(line.substring("export ".length(), line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
            }
            assertTrue(emulator.isAlive() && exports.containsKey("INFISICAL_URL"), "emulator module did not start: " + exports);
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // the emulator's later output is not needed, only kept from filling the pipe
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "emulator-output");
            drain.setDaemon(true);
            drain.start();

            List<String> auditModules = new ArrayList<>(MODULES);
            auditModules.add(AUDIT);
            String auditPath = modulePath(auditModules);
            Path classes = compile("modular-audit-consumer", "auditconsumer/Main.java", auditPath);
            String output = runProcess(List.of(java.toString(),
                    "-Dinfisical.url=" + exports.get("INFISICAL_URL"),
                    "-Dinfisical.clientId=" + exports.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID"),
                    "-Dinfisical.clientSecret=" + exports.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET"),
                    "-Dinfisical.projectId=" + exports.get("INFISICAL_PROJECT_ID"),
                    "-Dconsumer.keyName=" + KmsEmulator.SIGNING_KEY,
                    "--module-path", classes + File.pathSeparator + auditPath, "-m", "auditconsumer/auditconsumer.Main"));
            List<String> lines = output.lines().collect(Collectors.toList());
            for (String line : List.of("module " + AUDIT, "sealed RSASSA_PSS_SHA_256 SHA-256", "verify true tampered false",
                    "done")) {
                assertTrue(lines.contains(line), () -> "missing \"" + line + "\" in:\n" + output);
            }
        } finally {
            emulator.destroy();
            emulator.waitFor(30, TimeUnit.SECONDS);
        }
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
        assertConsumerOutput(run(java, kms.url().toString(), "-m", "consumer/consumer.Main"));
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
                "pki csr RSASSA_PSS_SHA_256 true true",
                "done");
        for (String line : expected) {
            assertTrue(lines.contains(line), () -> "missing \"" + line + "\" in:\n" + output);
        }
        // The filtered resource inside the module is readable: the build's version, not "dev".
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("version ") && !l.equals("version dev")), output);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("handle io.github.infisicaljca.jca.")
                && l.endsWith(" encoded null")), output);
    }

    /** Runs the application with the in-JVM emulator's coordinates as the provider's system properties. */
    private static String run(Path java, String url, String... moduleArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Dinfisical.url=" + url);
        command.add("-Dinfisical.clientId=" + kms.clientId());
        command.add("-Dinfisical.clientSecret=" + kms.clientSecret());
        command.add("-Dinfisical.projectId=" + kms.projectId());
        command.add("-Dconsumer.keyName=" + KmsEmulator.SIGNING_KEY);
        command.addAll(List.of(moduleArgs));
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
        // Its output has ended, so it is exiting; the bound only keeps a wedged JVM from hanging the build.
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(out, StandardCharsets.UTF_8);
        assertTrue(exited, () -> String.join(" ", command) + " did not exit:\n" + output);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    /** Each wanted module's jar (or target/classes directory) among this JVM's class path entries, in ALL's order. */
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
                module.filter(m -> !m.descriptor().isAutomatic() && ALL.contains(m.descriptor().name()))
                        .ifPresent(m -> byName.putIfAbsent(m.descriptor().name(), path));
            } catch (FindException | UncheckedIOException e) {
                // not a module this test needs
            }
        }
        Map<String, Path> ordered = new LinkedHashMap<>();
        ALL.stream().filter(byName::containsKey).forEach(n -> ordered.put(n, byName.get(n)));
        return ordered;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name").startsWith("Windows");
    }
}
