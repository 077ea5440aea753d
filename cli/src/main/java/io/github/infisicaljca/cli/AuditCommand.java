package io.github.infisicaljca.cli;

import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.lines.JsonLinesSealer;
import io.github.infisicaljca.audit.lines.SealStoppedException;
import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code audit seal} and {@code audit verify}: JSON Lines audit events, streamed one line at a
 * time (memory does not grow with the input). Blank lines are skipped; line numbers in
 * messages count every line of the input.
 */
final class AuditCommand {
    static final String USAGE = String.join("\n",
            "usage: infisical-jca audit seal [--in FILE] [--out FILE] [--batch N [--checkpoint FILE]]",
            "       infisical-jca audit verify [--in FILE] [--accept ALG[,ALG]] [--checkpoint FILE]",
            "",
            "seal    reads JSON Lines audit events from stdin (or --in) and writes each one to stdout",
            "        (or --out) with hash, hashAlgorithm, signature and algorithm added, every other",
            "        field unchanged. Signs with Infisical KMS when INFISICAL_URL, credentials and",
            "        KMS_SIGNING_KEY_ID are set (KMS_SIGNING_ALGORITHM, default RSASSA_PSS_SHA_256 for",
            "        RSA keys, ECDSA_SHA_256 for EC keys), else with HMAC-SHA256 keyed by AUDIT_CRYPTO_SECRET.",
            "verify  checks every sealed line; exit 0 when all verify, else 1, with each failing line",
            "        and why on stderr. Accepts the KMS algorithm when the KMS is configured, else",
            "        HMAC-SHA256; --accept replaces that list (e.g. --accept HMAC-SHA256 to check old",
            "        HMAC-sealed events, which a KMS-configured verifier refuses by default).",
            "",
            "seal --batch N [--checkpoint FILE]",
            "        the batch format (docs/audit-batch-format.md): one signature per N events (1 to",
            "        100000) over a Merkle root, the whole event covered, batches chained; each line",
            "        still verifies alone. The chain's end is written to FILE; if FILE exists, the",
            "        chain resumes from it (append the new output to the old).",
            "verify [--checkpoint FILE]",
            "        reads both formats, line by line, naming each failure's line and kind (altered,",
            "        deleted, inserted, reordered, truncated, foreign, unknown key); with --checkpoint",
            "        the log must also end exactly at FILE (nothing cut off, nothing added).",
            "");

    private AuditCommand() {
    }

    static int run(List<String> args, CliEnvironment env, InputStream in, PrintStream out, PrintStream err)
            throws CliException, IOException {
        if (args.isEmpty()) {
            throw CliException.usage("audit needs a subcommand: seal or verify", USAGE);
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "seal":
                return seal(Args.parse(rest, List.of("in", "out", "batch", "checkpoint")), env, in, out, err);
            case "verify":
                return verify(Args.parse(rest, List.of("in", "accept", "checkpoint")), env, in, out, err);
            case "help":
            case "-h":
            case "--help":
                out.print(USAGE);
                return 0;
            default:
                throw CliException.usage("unknown audit subcommand '" + args.get(0) + "'", USAGE);
        }
    }

    private static int seal(Args a, CliEnvironment env, InputStream in, PrintStream out, PrintStream err)
            throws CliException, IOException {
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        Path inPath = a.path("in");
        Path outPath = a.path("out");
        if (inPath != null && outPath != null && Files.exists(outPath) && Files.isSameFile(inPath, outPath)) {
            throw CliException.usage("--in and --out are the same file: seal into a new file");
        }
        if (a.get("batch") != null) {
            int batch = AuditBatchCommands.batchSize(a.get("batch"));
            return AuditBatchCommands.seal(batch, a.path("checkpoint"), env, new AuditBatchCommands.LineReaderSource() {
                @Override
                public LineReader reader() throws CliException, IOException {
                    return AuditCommand.reader(in, inPath);
                }

                @Override
                public LineWriter writer() throws CliException, IOException {
                    return AuditCommand.writer(out, outPath);
                }
            }, err);
        }
        if (a.get("checkpoint") != null) {
            throw CliException.usage("--checkpoint needs --batch N: only the batch format has a chain to checkpoint",
                    USAGE);
        }
        AuditCrypto crypto = env.sealer(); // before any file is opened: a configuration error leaves no empty output
        JsonLinesSealer.Summary done;
        try (LineReader reader = reader(in, inPath); LineWriter writer = writer(out, outPath)) {
            done = JsonLinesSealer.smartLogs(crypto).build().seal(reader.source(), writer.stream());
        } catch (SealStoppedException e) {
            rethrowInputFailure(e);
            throw CliException.failure("line " + e.line() + ": cannot seal: " + e.getMessage() + written(e.written()));
        }
        err.println("audit seal: " + Wording.count(done.events(), "event") + " sealed"
                + (done.algorithm() == null ? "" : " with " + TerminalText.safe(done.algorithm())));
        return 0;
    }

    private static int verify(Args a, CliEnvironment env, InputStream in, PrintStream out, PrintStream err)
            throws CliException, IOException {
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        CliEnvironment.Verifiers verifiers = env.verifiers(a.list("accept"));
        Path checkpointFile = a.path("checkpoint");
        io.github.infisicaljca.audit.batch.Checkpoint checkpoint = checkpointFile == null ? null
                : AuditBatchCommands.readCheckpoint(checkpointFile);
        try (LineReader reader = reader(in, a.path("in"))) {
            return AuditBatchCommands.verify(verifiers, checkpoint, reader, err);
        }
    }

    /** A seal stopped by the input: the reader's own error, as any command reports it. */
    static void rethrowInputFailure(SealStoppedException e) throws CliException, IOException {
        if (e.reason() == SealStoppedException.Reason.INPUT_FAILED) {
            if (e.getCause() instanceof LineReader.Failure) {
                throw ((LineReader.Failure) e.getCause()).cause;
            }
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
        }
    }

    /** What a seal stopped at line n leaves written: the events before it, nothing after. */
    static String written(long sealed) {
        return sealed == 0 ? "; nothing was written"
                : "; the " + Wording.count(sealed, "event") + " before it " + (sealed == 1 ? "was" : "were")
                        + " written, nothing after";
    }

    static LineReader reader(InputStream stdin, Path path) throws CliException, IOException {
        if (path == null) {
            return new LineReader(stdin);
        }
        try {
            return new LineReader(Files.newInputStream(path));
        } catch (NoSuchFileException e) {
            throw CliException.usage("--in " + path + ": no such file");
        }
    }

    static LineWriter writer(PrintStream stdout, Path path) throws CliException, IOException {
        if (path == null) {
            return new LineWriter(stdout, false);
        }
        try {
            return new LineWriter(Files.newOutputStream(path), true);
        } catch (NoSuchFileException e) {
            throw CliException.usage("--out " + path + ": the directory does not exist");
        }
    }
}
