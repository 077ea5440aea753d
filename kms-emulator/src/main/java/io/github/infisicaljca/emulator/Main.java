package io.github.infisicaljca.emulator;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as its own process until it is stopped (Ctrl-C, SIGTERM). Prints the
 * connection settings as shell {@code export} lines, then {@code # ready} on a line of its own
 * so a parent process knows when it can connect.
 *
 * <pre>java -jar infisical-kms-emulator.jar [--port N] [--profile current|2024] [--payload-limit 4096|1mib]
 *     [--state-dir DIR]</pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        KmsEmulator.Builder builder = KmsEmulator.builder();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port":
                    builder.port(Integer.parseInt(require(args[i], value)));
                    i++;
                    break;
                case "--profile":
                    builder.profile(require(args[i], value).equals("2024") ? ServerProfile.INFISICAL_2024 : ServerProfile.CURRENT);
                    i++;
                    break;
                case "--payload-limit":
                    builder.payloadLimits(require(args[i], value).toLowerCase(Locale.ROOT).equals("1mib")
                            ? PayloadLimits.MODERN_1_MIB : PayloadLimits.LEGACY_4096);
                    i++;
                    break;
                case "--state-dir":
                    builder.stateDirectory(java.nio.file.Path.of(require(args[i], value)));
                    i++;
                    break;
                case "--help":
                    System.out.println("usage: infisical-kms-emulator [--port N] [--profile current|2024] "
                            + "[--payload-limit 4096|1mib] [--state-dir DIR]");
                    return;
                default:
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
            }
        }
        KmsEmulator kms = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kms.close();
            stopped.countDown();
        }, "kms-emulator-shutdown"));
        System.out.println(exports(kms));
        System.out.println("# ready");
        System.out.flush();
        stopped.await();
    }

    /** The settings a client needs, as shell export lines. */
    static String exports(KmsEmulator kms) {
        return "export INFISICAL_URL=" + kms.url() + "\n"
                + "export INFISICAL_UNIVERSAL_AUTH_CLIENT_ID=" + kms.clientId() + "\n"
                + "export INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=" + kms.clientSecret() + "\n"
                + "export INFISICAL_PROJECT_ID=" + kms.projectId() + "\n"
                + "export KMS_SIGNING_KEY_ID=" + kms.signingKeyId() + "\n"
                + "export KMS_ENCRYPTION_KEY_ID=" + kms.encryptionKeyId();
    }

    private static String require(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
