package io.github.infisicaljca.conformance;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The KMS emulator as its own process, so the suites cross a real process boundary and real
 * sockets. One per JVM (started on first use, stopped at exit); its {@code export} lines give
 * the URL, credentials, project and seeded key ids.
 */
final class EmulatorProcess {
    private static EmulatorProcess shared;

    private final Process process;
    private final Map<String, String> env;

    private EmulatorProcess() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                // The suites make thousands of calls and are not about rate limits, which the process applies by default.
                "io.github.infisicaljca.emulator.Main", "--port", "0", "--rate-limit", "off")
                .redirectErrorStream(true).start();
        env = readExports();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "emulator-process-stop"));
    }

    static synchronized EmulatorProcess get() throws IOException {
        if (shared == null) {
            shared = new EmulatorProcess();
        }
        return shared;
    }

    String url() {
        return env.get("INFISICAL_URL");
    }

    String projectId() {
        return env.get("INFISICAL_PROJECT_ID");
    }

    String signingKeyId() {
        return env.get("KMS_SIGNING_KEY_ID");
    }

    String encryptionKeyId() {
        return env.get("KMS_ENCRYPTION_KEY_ID");
    }

    InfisicalConfig.Builder config() {
        return InfisicalConfig.builder().withoutAmbientSources().url(url())
                .clientId(env.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID"))
                .clientSecret(env.get("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET")).projectId(projectId());
    }

    InfisicalProvider provider() {
        return new InfisicalProvider(config().build());
    }

    private Map<String, String> readExports() throws IOException {
        Map<String, String> values = new HashMap<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("# ready")) {
                return values;
            }
            if (line.startsWith("export ")) {
                int eq = line.indexOf('=');
                values.put(line.substring("export ".length(), eq), line.substring(eq + 1));
            }
        }
        throw new IOException("the emulator process exited before it was ready (exit " + exitCode() + ")");
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private void stop() {
        process.destroy();
    }
}
