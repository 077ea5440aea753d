package io.github.infisicaljca.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider in a JVM without {@code jdk.jfr} and {@code java.management}, as inside
 * {@code jarsigner -J-cp ... -J--add-modules -Jjava.net.http}: it signs, and its telemetry
 * still counts, with no JFR events and no MBean and no linkage error.
 */
class TelemetryWithoutJfrAndJmxTest {

    @Test
    void theProviderSignsInAJvmWithoutJfrAndJmx() throws Exception {
        try (KmsEmulator kms = KmsEmulator.builder().start()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = List.of(java.toString(), "--limit-modules", "java.base,java.net.http",
                    "-cp", System.getProperty("java.class.path"), WithoutJfrAndJmxProbe.class.getName(),
                    kms.url().toString(), kms.clientId(), kms.clientSecret(), kms.signingKeyId());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("jdk.jfr=false java.management=false"), output);
            assertTrue(output.contains("signature bytes=512"), output);
            assertTrue(output.contains("sign calls=1"), output);
        }
    }
}
