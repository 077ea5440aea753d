package io.github.infisicaljca.emulator;

import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as its own process until it is stopped (Ctrl-C, SIGTERM). Prints the
 * connection settings as shell {@code export} lines and {@code #} comments (the rate limits and
 * profile in force), then {@code # ready} on a line of its own so a parent process knows when it
 * can connect.
 *
 * <pre>java -jar infisical-kms-emulator.jar [--port N] [--profile current|2024] [--rate-limit W/R|default|off]
 *     [--payload-limit 4096|1mib] [--state-dir DIR]</pre>
 *
 * <p>Unlike the embedded emulator, the process applies Infisical's self-hosted rate limits
 * (200 writes and 60 reads a minute per route) unless {@code --rate-limit} says otherwise, so
 * what runs against it meets the limits a real server has.
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: infisical-kms-emulator [--port N] [--profile current|2024] [--rate-limit W/R|default|off]",
            "                              [--payload-limit 4096|1mib] [--state-dir DIR]",
            "  --port N              0 picks a free port; default: the one --state-dir kept, else a free one",
            "  --profile P           current (default) or 2024: the self-hosted 2024 server (AES keys only,",
            "                        validation failures 401, rate limits answered with a 500)",
            "  --rate-limit L        W/R: W writes and R reads a minute per route and client address;",
            "                        default: 200/60, Infisical's self-hosted default (and the default here);",
            "                        off: no limits",
            "  --payload-limit P     4096 (default: every binary field) or 1mib (a newer server's caps)",
            "  --state-dir DIR       keep the identity, project, keys and port across restarts (holds private",
            "                        keys); a --port given is kept instead");

    /** The command line, read. */
    record Options(Integer port, ServerProfile profile, RateLimits rateLimits, PayloadLimits payloadLimits, Path stateDir,
            boolean help) {

        KmsEmulator.Builder builder() {
            KmsEmulator.Builder b = KmsEmulator.builder().profile(profile).rateLimits(rateLimits)
                    .payloadLimits(payloadLimits);
            if (port != null) {
                b.port(port);
            }
            return stateDir == null ? b : b.stateDirectory(stateDir);
        }
    }

    private Main() {
    }

    /**
     * Runs the emulator standalone until the process is stopped; {@code --help} lists the options.
     *
     * @param args the command-line options
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("infisical-kms-emulator: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(USAGE);
            return;
        }
        KmsEmulator kms;
        try {
            kms = options.builder().start();
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // An UncheckedIOException says where; its cause says why (the port is in use, say).
            String why = e instanceof UncheckedIOException ? ": " + e.getCause().getMessage() : "";
            System.err.println("infisical-kms-emulator: " + e.getMessage() + why);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kms.close();
            stopped.countDown();
        }, "kms-emulator-shutdown"));
        System.out.println(exports(kms));
        System.out.println("# profile: " + (kms.profile() == ServerProfile.INFISICAL_2024 ? "2024" : "current"));
        System.out.println("# rate limits: " + (kms.rateLimits() == null ? "off" : kms.rateLimits()));
        System.out.println("# ready");
        System.out.flush();
        stopped.await();
    }

    /**
     * Reads the command line.
     *
     * @throws IllegalArgumentException for an unknown option or a bad value, saying which
     */
    static Options parse(String[] args) {
        Integer port = null;
        ServerProfile profile = ServerProfile.CURRENT;
        RateLimits rateLimits = RateLimits.selfHostedDefault();
        PayloadLimits payload = PayloadLimits.LEGACY_4096;
        Path stateDir = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return new Options(port, profile, rateLimits, payload, stateDir, true);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value"
                        : "unknown option " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--port":
                    port = port(value);
                    break;
                case "--profile":
                    profile = profile(value);
                    break;
                case "--rate-limit":
                    rateLimits = rateLimits(value);
                    break;
                case "--payload-limit":
                    payload = payloadLimits(value);
                    break;
                case "--state-dir":
                    stateDir = path(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new Options(port, profile, rateLimits, payload, stateDir, false);
    }

    /** The settings a client needs, as shell export lines; a comment instead of a key the profile does not have. */
    static String exports(KmsEmulator kms) {
        String signing = kms.profile() == ServerProfile.INFISICAL_2024
                ? "# no KMS_SIGNING_KEY_ID: the 2024 profile has no signing keys (the 2024 server offers only"
                        + " aes-256-gcm and aes-128-gcm keys)"
                : "export KMS_SIGNING_KEY_ID=" + kms.signingKeyId();
        return "export INFISICAL_URL=" + kms.url() + "\n"
                + "export INFISICAL_UNIVERSAL_AUTH_CLIENT_ID=" + kms.clientId() + "\n"
                + "export INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=" + kms.clientSecret() + "\n"
                + "export INFISICAL_PROJECT_ID=" + kms.projectId() + "\n"
                + signing + "\n"
                + "export KMS_ENCRYPTION_KEY_ID=" + kms.encryptionKeyId();
    }

    private static int port(String value) {
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535, not '" + value + "'");
    }

    private static RateLimits rateLimits(String value) {
        try {
            return RateLimits.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rate-limit: " + e.getMessage(), e);
        }
    }

    private static ServerProfile profile(String value) {
        try {
            return ServerProfile.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--profile " + e.getMessage(), e);
        }
    }

    private static PayloadLimits payloadLimits(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "4096":
                return PayloadLimits.LEGACY_4096;
            case "1mib":
                return PayloadLimits.MODERN_1_MIB;
            default:
                throw new IllegalArgumentException("--payload-limit must be 4096 or 1mib, not '" + value + "'");
        }
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--state-dir: not a valid path: " + e.getReason());
        }
    }
}
