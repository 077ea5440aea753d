package io.github.infisicaljca.cli;

import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.emulator.ServerProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * {@code dev-server [--port N] [--state-dir DIR] [--profile current|2024] [--rate-limit W/R|default|off]}:
 * the KMS emulator on loopback until stopped. Prints the settings a client needs as shell
 * {@code export} lines and {@code #} comments (keys, profile, rate limits, state), then
 * {@code # ready; Ctrl-C stops}, then serves until the stop latch opens (Ctrl-C in a real run).
 * It applies Infisical's self-hosted rate limits unless told otherwise, so what a user tries
 * locally meets the limits of their server.
 */
final class DevServerCommand {
    static final String READY = "# ready; Ctrl-C stops";

    static final String USAGE = String.join("\n",
            "usage: infisical-jca dev-server [--port N] [--state-dir DIR] [--profile current|2024]",
            "                                [--rate-limit W/R|default|off]",
            "",
            "Runs the KMS emulator on loopback (on --port, else the port --state-dir kept, else a",
            "free one) with four seeded keys (signing-key RSA_4096, ec-signing-key ECC_NIST_P256,",
            "encryption-key aes-256-gcm, hmac-key HMAC_SHA_256), prints export lines for",
            "INFISICAL_URL, the Universal Auth credentials, INFISICAL_PROJECT_ID,",
            "KMS_SIGNING_KEY_ID and KMS_ENCRYPTION_KEY_ID, then '" + READY + "', and serves",
            "until stopped. It blocks: run it in its own terminal and paste the export lines into",
            "another one.",
            "",
            "--state-dir DIR   keep the identity, project, keys and port across restarts, so the",
            "                  export lines stay valid, e.g. --state-dir ~/.infisical-jca/dev-server",
            "                  (development only: the file holds private keys; it is readable by its",
            "                  owner only). A --port given is kept instead of the previous one.",
            "                  Without it everything lives in memory and is gone when it stops.",
            "--profile P       current (the default): today's server; or 2024: the self-hosted 2024",
            "                  server, with AES keys only (just encryption-key is seeded and there is",
            "                  no KMS_SIGNING_KEY_ID), validation failures as 401 and rate limits",
            "                  answered with a 500.",
            "--rate-limit L    W/R: W writes and R reads a minute per route and client address, as",
            "                  Infisical counts them; default (the default): 200/60, a self-hosted",
            "                  server's limits without a license; off: no limits. Past a limit the",
            "                  answer is a 429 (a 500 with --profile 2024) with retry-after.",
            "");

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:@%+,=-]+");

    private DevServerCommand() {
    }

    /** From {@link Main}: serves until the JVM is stopped (Ctrl-C, SIGTERM). */
    static int run(List<String> args, PrintStream out) throws CliException {
        CountDownLatch stop = new CountDownLatch(1);
        return serve(args, out, stop, true);
    }

    /**
     * Starts the emulator, prints the export lines and the ready line, and blocks until
     * {@code stop} opens; then stops the emulator. With {@code hook}, Ctrl-C (JVM shutdown)
     * stops it as well.
     */
    static int serve(List<String> args, PrintStream out, CountDownLatch stop, boolean hook) throws CliException {
        Args a = Args.parse(args, List.of("port", "state-dir", "profile", "rate-limit"));
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        ServerProfile profile = profile(a.get("profile"));
        RateLimits limits = rateLimits(a.get("rate-limit"));
        KmsEmulator.Builder builder = KmsEmulator.builder().profile(profile).rateLimits(limits);
        if (a.get("port") != null) {
            builder.port(port(a.get("port")));
        }
        Path state = a.path("state-dir");
        if (state != null) {
            try {
                Files.createDirectories(state);
            } catch (IOException e) {
                throw CliException.usage("--state-dir " + state + ": cannot create the directory: " + e.getMessage());
            }
            builder.stateDirectory(state);
        }
        KmsEmulator kms;
        try {
            kms = builder.start();
        } catch (UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            String hint = !(e.getCause() instanceof BindException) ? ""
                    : a.get("port") != null ? " (is port " + a.get("port") + " in use? try another --port)"
                    : state != null ? " (--port N chooses another; the state directory keeps it)" : "";
            throw CliException.failure("cannot start the KMS emulator: " + e.getMessage() + hint, e);
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                kms.close();
            }
        };
        Thread shutdown = new Thread(() -> {
            close.run();
            stop.countDown();
        }, "dev-server-shutdown");
        if (hook) {
            Runtime.getRuntime().addShutdownHook(shutdown);
        }
        try {
            for (Map.Entry<String, String> e : exports(kms).entrySet()) {
                out.println("export " + e.getKey() + "=" + shellQuote(e.getValue()));
            }
            if (profile == ServerProfile.INFISICAL_2024) {
                out.println("# no KMS_SIGNING_KEY_ID: the 2024 profile has no signing keys (the 2024 server offers only"
                        + " aes-256-gcm and aes-128-gcm keys)");
                out.println("# keys: encryption-key (aes-256-gcm)");
            } else {
                out.println("# keys: signing-key (RSA_4096), ec-signing-key " + kms.keyId(KmsEmulator.EC_SIGNING_KEY)
                        + " (ECC_NIST_P256), encryption-key (aes-256-gcm), hmac-key " + kms.keyId(KmsEmulator.HMAC_KEY)
                        + " (HMAC_SHA_256)");
            }
            out.println("# profile: " + describe(profile));
            out.println("# rate limits: " + describe(limits, profile));
            out.println(state != null ? "# state kept in " + state.toAbsolutePath() + " (same URL, credentials and keys"
                    + " next time)" : "# in memory: URL, credentials and keys are new on every start (--state-dir keeps"
                    + " them)");
            out.println(READY);
            out.flush();
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close.run();
            if (hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdown);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what stopped us
                }
            }
        }
        return 0;
    }

    /** The settings a client needs, in the order printed. */
    static Map<String, String> exports(KmsEmulator kms) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CliEnvironment.URL, kms.url().toString());
        m.put(CliEnvironment.CLIENT_ID, kms.clientId());
        m.put(CliEnvironment.CLIENT_SECRET, kms.clientSecret());
        m.put("INFISICAL_PROJECT_ID", kms.projectId());
        if (kms.profile() != ServerProfile.INFISICAL_2024) {
            m.put(CliEnvironment.SIGNING_KEY_ID, kms.signingKeyId());
        }
        m.put("KMS_ENCRYPTION_KEY_ID", kms.encryptionKeyId());
        return m;
    }

    static String describe(ServerProfile profile) {
        return profile == ServerProfile.INFISICAL_2024
                ? "2024 (the self-hosted 2024 server: AES keys only, validation failures 401, no reqId)"
                : "current (today's server; --profile 2024 imitates the self-hosted 2024 one)";
    }

    /** The limits in force, in words, with how to change them. */
    static String describe(RateLimits limits, ServerProfile profile) {
        if (limits == null) {
            return "off (--rate-limit default applies Infisical's self-hosted 200 writes and 60 reads a minute)";
        }
        String perRoute = limits.writes() + " writes and " + limits.reads() + " reads a minute per route and client"
                + " address" + (profile == ServerProfile.CURRENT && limits.global() > 0
                        ? ", " + limits.global() + " a minute in all" : "");
        String refusal = profile == ServerProfile.INFISICAL_2024 ? "500" : "429";
        String origin = limits.equals(RateLimits.selfHostedDefault()) ? "Infisical's self-hosted default; " : "";
        return perRoute + " (" + origin + "past them " + refusal + " with retry-after; --rate-limit off lifts them)";
    }

    /** The value as one shell word: as is when plain, else in single quotes. */
    static String shellQuote(String value) {
        if (SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static ServerProfile profile(String text) throws CliException {
        try {
            return text == null ? ServerProfile.CURRENT : ServerProfile.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--profile " + e.getMessage());
        }
    }

    private static RateLimits rateLimits(String text) throws CliException {
        if (text == null) {
            return RateLimits.selfHostedDefault();
        }
        try {
            return RateLimits.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--rate-limit: " + e.getMessage());
        }
    }

    private static int port(String text) throws CliException {
        if (text == null) {
            return 0;
        }
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw CliException.usage("--port must be a number from 0 to 65535, not '" + text + "'");
    }
}
