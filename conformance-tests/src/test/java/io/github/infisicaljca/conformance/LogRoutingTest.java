package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/logging.md's claim that one jar routes the provider's {@code System.Logger} records to
 * SLF4J: a child JVM with {@code slf4j-jdk-platform-logging} and {@code slf4j-simple} on its
 * class path (and nothing else changed) signs against an emulator in this JVM whose first sign
 * answer is a 500; the provider's DEBUG and WARNING lines arrive in SLF4J's output under its
 * logger name, the WARNING with the 500's reqId, and no line holds the client secret. The
 * SLF4J jars are kept off this JVM's class path (see the pom), so no other test logs through them.
 */
class LogRoutingTest {
    private static final String LOGGER = "io.github.infisicaljca.kms";

    /** The child: signs one message with the key named by its argument, configured by the environment. */
    public static final class SignOnce {
        public static void main(String[] args) throws Exception {
            InfisicalProvider provider = new InfisicalProvider(InfisicalConfig.fromEnvironment());
            Signature s = Signature.getInstance("SHA256withRSA", provider);
            s.initSign((java.security.PrivateKey) provider.key(args[0]));
            s.update("routed".getBytes(StandardCharsets.UTF_8));
            System.out.println("signed " + s.sign().length + " bytes");
        }
    }

    @Test
    void theProvidersRecordsReachSlf4jWithTheirLoggerNameAndTheWarningsReqId() throws Exception {
        String slf4j = System.getProperty("slf4j.jars");
        assertTrue(slf4j != null && !slf4j.isEmpty(), "the pom passes the SLF4J jars as slf4j.jars");
        for (String jar : slf4j.split(File.pathSeparator)) {
            assertTrue(Files.isRegularFile(Path.of(jar)), "resolved by Maven: " + jar);
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            assertFalse(entry.contains("slf4j"), "this JVM routes nothing to SLF4J: " + entry);
        }
        try (KmsEmulator kms = KmsEmulator.builder().start()) {
            kms.inject("POST", "/sign$", Fault.status(500), 1);
            Path out = Files.createTempFile("log-routing", ".txt");
            try {
                ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path") + File.pathSeparator + slf4j,
                        "-Dorg.slf4j.simpleLogger.log.io.github.infisicaljca=debug",
                        SignOnce.class.getName(), kms.signingKeyId())
                        .redirectErrorStream(true).redirectOutput(out.toFile());
                child.environment().keySet().removeIf(k -> k.startsWith("INFISICAL_"));
                child.environment().put("INFISICAL_URL", kms.url().toString());
                child.environment().put("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", kms.clientId());
                child.environment().put("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", kms.clientSecret());
                child.environment().put("INFISICAL_PROJECT_ID", kms.projectId());
                Process p = child.start();
                assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child finished");
                String output = Files.readString(out);
                assertEquals(0, p.exitValue(), output);

                List<RecordedRequest> refused = kms.requests().stream()
                        .filter(r -> r.route().endsWith("/sign") && r.status() == 500).collect(Collectors.toList());
                assertEquals(1, refused.size(), "the injected 500: " + kms.requests());
                String reqId = refused.get(0).reqId();

                List<String> lines = output.lines().collect(Collectors.toList());
                assertTrue(lines.contains("signed 512 bytes"), output);
                assertTrue(lines.stream().anyMatch(l -> l.contains("DEBUG " + LOGGER + " - sign POST /v1/kms/keys/")
                        && l.contains("-> HTTP 200")), "SLF4J's format (level, logger - message) at DEBUG:\n" + output);
                assertTrue(lines.stream().anyMatch(l -> l.contains("WARN " + LOGGER + " - ")
                        && l.contains("HTTP 500") && l.contains("(reqId " + reqId + ")")),
                        "the retry's WARNING with the reqId:\n" + output);
                assertFalse(output.contains(kms.clientSecret()), "the client secret is in no line");
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
