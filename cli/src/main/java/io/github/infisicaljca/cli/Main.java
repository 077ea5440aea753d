package io.github.infisicaljca.cli;

import io.github.infisicaljca.Version;
import io.github.infisicaljca.benchmarks.BenchRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code ./infisical-jca}: the command line. {@link #run} is the whole program, with the
 * environment and the streams passed in, so tests never touch the real ones.
 * Exit status: 0 success, 1 failure (invalid input, failed verification, KMS error),
 * 2 usage or configuration error (an unknown option, a file named on the command line that does
 * not exist, a key of the wrong usage). A KMS failure is 1 wherever it surfaces, also as the
 * {@code InvalidKeyException} that a cipher's or signature's init reports it as.
 */
public final class Main {
    /** A command of the contract, as the help lists it. */
    private record Command(String synopsis, String summary) {
    }

    private static final List<Command> COMMANDS = List.of(
            new Command("demo", "a tour on the embedded KMS emulator"),
            new Command("dev-server [--port N] [--state-dir DIR] [--profile current|2024]"
                    + " [--rate-limit W/R|default|off]", "run the KMS emulator, print export lines"),
            new Command("doctor", "check config, reachability, auth, key access, latency"),
            new Command("keys", "list the project's keys: name, id, usage, algorithm"),
            new Command("sign --key K [--alg A] [--base64]", "sign stdin (or --in) to stdout (or --out)"),
            new Command("verify --key K --signature FILE [--alg A]", "verify a signature; exit 0 valid, 1 not"),
            new Command("csr --key K --subject DN [--alg A] [--san S] [--out FILE]",
                    "a PKCS#10 certification request signed in the KMS, PEM"),
            new Command("encrypt --key K", "stdin to stdout through INFISICAL-ENVELOPE"),
            new Command("decrypt --key K", "stdin to stdout through INFISICAL-ENVELOPE"),
            new Command("bench [--quick] [--out FILE]", "run the benchmarks, write benchmarks/target/bench.json"),
            new Command("audit seal [--in FILE] [--out FILE]", "seal JSON Lines audit events"),
            new Command("audit verify [--in FILE] [--accept ALG[,ALG]]",
                    "verify sealed events; exit 0 when all verify, else 1"));

    private static final String[][] CONFIGURATION = {
        {"INFISICAL_URL", "Infisical server base URL"},
        {"INFISICAL_ACCESS_TOKEN (or INFISICAL_TOKEN)", "a ready access token, or"},
        {"INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "a Universal Auth machine identity"},
        {"INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "  (wins over a token)"},
        {"KMS_SIGNING_KEY_ID", "the key that signs audit events"},
        {"INFISICAL_PROJECT_ID", "project whose keys the KeyStore lists"},
        {"KMS_ENCRYPTION_KEY_ID, KMS_HMAC_KEY_ID", "keys doctor checks (besides KMS_SIGNING_KEY_ID)"},
        {"KMS_SIGNING_ALGORITHM", "default RSASSA_PSS_SHA_256 (RSA), ECDSA_SHA_256 (EC)"},
        {"AUDIT_CRYPTO_SECRET", "HMAC-SHA256 key when no KMS signing key is set"},
    };

    private static final String HINT = "run 'infisical-jca --help' for the commands";

    private Main() {
    }

    public static void main(String[] args) {
        TerminalLogging.install(System.err);
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /** Runs one command line and returns its exit status. */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        try {
            return dispatch(args, env, in, out, err);
        } catch (CliException e) {
            err.println("infisical-jca: " + TerminalText.safe(e.getMessage()));
            if (e.help() != null) {
                err.print(e.help());
            }
            if (e.exitCode() == CliException.USAGE && e.getMessage().startsWith("unknown command")) {
                err.println(HINT);
            }
            return e.exitCode();
        } catch (IOException e) {
            err.println("infisical-jca: I/O error: " + TerminalText.safe(e.toString()));
            return CliException.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(String[] args, Map<String, String> env, InputStream in, PrintStream out,
            PrintStream err) throws CliException, IOException {
        if (args.length == 0) {
            err.print(help());
            return CliException.USAGE;
        }
        String name = args[0];
        switch (name) {
            case "help":
            case "-h":
            case "--help":
                out.print(help());
                return 0;
            case "demo":
                return DemoCommand.run(Args.rest(args, 1), out);
            case "dev-server":
                return DevServerCommand.run(Args.rest(args, 1), out);
            case "doctor":
                return DoctorCommand.run(Args.rest(args, 1), env, out);
            case "audit":
                return AuditCommand.run(Args.rest(args, 1), new CliEnvironment(env), in, out, err);
            case "keys":
                return KeyCommands.keys(Args.rest(args, 1), env, out);
            case "sign":
                return KeyCommands.sign(Args.rest(args, 1), env, in, out);
            case "verify":
                return KeyCommands.verify(Args.rest(args, 1), env, in, out, err);
            case "csr":
                return CsrCommand.run(Args.rest(args, 1), env, out);
            case "encrypt":
            case "decrypt":
                return EnvelopeCommands.run(name, Args.rest(args, 1), env, in, out);
            case "bench":
                return BenchRunner.run(Args.rest(args, 1).toArray(new String[0]), env, out, err);
            default:
                throw CliException.usage("unknown command '" + name + "'");
        }
    }

    static String help() {
        StringBuilder b = new StringBuilder();
        b.append("infisical-jca ").append(Version.current())
                .append(": Infisical KMS keys through JCA\n\nusage: infisical-jca <command> [options]\n\ncommands:\n");
        for (Command c : COMMANDS) {
            if (c.synopsis().length() > 46) {
                // Too long for the column: the summary goes below, where it would have started.
                b.append("  ").append(c.synopsis()).append('\n').append(" ".repeat(49)).append(c.summary()).append('\n');
            } else {
                b.append(String.format("  %-46s %s\n", c.synopsis(), c.summary()));
            }
        }
        b.append("\nconfiguration (environment variables; secrets are never printed):\n");
        for (String[] row : CONFIGURATION) {
            b.append(String.format("  %-46s %s\n", row[0], row[1]));
        }
        b.append("\nexit status: 0 success; 1 failure (invalid input, failed verification, KMS error);\n")
                .append("             2 usage or configuration error\n")
                .append("'infisical-jca audit --help' describes the audit commands.\n");
        return b.toString();
    }
}
