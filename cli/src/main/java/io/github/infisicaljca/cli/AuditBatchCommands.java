package io.github.infisicaljca.cli;

import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.batch.BatchVerifier;
import io.github.infisicaljca.audit.batch.Checkpoint;
import io.github.infisicaljca.audit.batch.Finding;
import io.github.infisicaljca.audit.batch.Problem;
import io.github.infisicaljca.audit.batch.Report;
import io.github.infisicaljca.audit.lines.JsonLinesSealer;
import io.github.infisicaljca.audit.lines.SealStoppedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code audit seal --batch N} and {@code audit verify} (both formats, per line): the batch
 * format of {@code docs/audit-batch-format.md} on top of {@link BatchSealer} and
 * {@link BatchVerifier}. Streams like the smart-logs commands; only findings are kept.
 */
final class AuditBatchCommands {
    static final int MAX_BATCH = 100_000;

    private AuditBatchCommands() {
    }

    /** Parses {@code --batch}: 1..{@value #MAX_BATCH}, else a usage error. */
    static int batchSize(String value) throws CliException {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_BATCH) {
            throw CliException.usage("--batch must be a whole number from 1 to " + MAX_BATCH + " (events per signature), "
                    + "not '" + value + "'", AuditCommand.USAGE);
        }
        return n;
    }

    static int seal(int batch, Path checkpointFile, CliEnvironment env, LineReaderSource source, PrintStream err)
            throws CliException, IOException {
        BatchSigner signer = env.batchSigner(); // before any file is opened: a configuration error leaves no output
        Checkpoint resume = null;
        if (checkpointFile != null && Files.exists(checkpointFile)) {
            resume = readCheckpoint(checkpointFile);
            String bad = checkpointProblem(signer, resume);
            if (bad != null) {
                throw CliException.usage("--checkpoint " + checkpointFile + ": " + bad
                        + "; to start a new chain, give a file that does not exist");
            }
            err.println("audit seal: resuming the chain of " + TerminalText.safe(checkpointFile.toString())
                    + " after batch " + resume.statement().seq() + " (" + Wording.count(resume.statement().count(), "event")
                    + ")");
        }
        JsonLinesSealer.Builder b = JsonLinesSealer.batches(signer, batch);
        if (resume != null) {
            b.resumeFrom(resume);
        }
        JsonLinesSealer.Summary done;
        try (LineReader reader = source.reader(); LineWriter writer = source.writer()) {
            try {
                done = b.build().seal(reader.source(), writer.stream());
            } catch (SealStoppedException e) {
                // The events before the line are sealed, written and (with --checkpoint) checkpointed, nothing after.
                saveCheckpoint(e.checkpoint(), checkpointFile);
                AuditCommand.rethrowInputFailure(e);
                throw CliException.failure("line " + e.line() + ": cannot seal"
                        + (e.reason() == SealStoppedException.Reason.SIGNING_FAILED ? " its batch" : "") + ": "
                        + e.getMessage() + AuditCommand.written(e.written()), e.getCause());
            }
        }
        saveCheckpoint(done.checkpoint(), checkpointFile);
        err.println("audit seal: " + Wording.count(done.events(), "event") + " sealed in "
                + Wording.count(done.batches(), "batch", "batches") + " (" + Wording.count(done.batches(), "signature")
                + ") with " + TerminalText.safe(signer.algorithm()) + (done.checkpoint() == null || checkpointFile == null
                        ? "" : "; checkpoint " + TerminalText.safe(checkpointFile.toString())));
        return 0;
    }

    private static void saveCheckpoint(Checkpoint c, Path file) throws IOException {
        if (c != null && file != null) {
            c.write(file);
        }
    }

    private static String checkpointProblem(BatchSigner signer, Checkpoint c) throws CliException {
        if (!c.statement().keyId().equals(signer.keyId()) || !c.statement().algorithm().equals(signer.algorithm())) {
            return "it was signed with key " + c.statement().keyId() + " (" + c.statement().algorithm() + "), this seal signs with " + signer.keyId() + " ("
                    + signer.algorithm() + ")";
        }
        try {
            return BatchVerifier.builder().key(signer).build().verifyCheckpoint(c).map(Finding::reason).orElse(null);
        } catch (AuditCryptoException e) {
            throw CliException.failure("cannot check the checkpoint: " + e.getMessage(), e);
        }
    }

    static Checkpoint readCheckpoint(Path file) throws CliException, IOException {
        if (!Files.exists(file)) {
            throw CliException.usage("--checkpoint " + file + ": no such file");
        }
        try {
            return Checkpoint.read(file);
        } catch (IllegalArgumentException | java.nio.charset.MalformedInputException e) {
            throw CliException.failure("--checkpoint " + file + ": not a checkpoint: " + e.getMessage());
        }
    }

    /** Verifies smart-logs and batch lines alike; prints each finding, then the summary. */
    static int verify(CliEnvironment.Verifiers verifiers, Checkpoint checkpoint, LineReader reader, PrintStream err)
            throws CliException, IOException {
        BatchVerifier.Builder b = BatchVerifier.builder().smartLogs(verifiers.smartLogs());
        verifiers.batchKeys().forEach(b::key); // none when --accept names no batch key: every batch seal is unknown
        Lines lines = new Lines(reader);
        Report report;
        try {
            report = b.build().verifyLogOrEvent(lines, checkpoint); // one event alone: its seal, not its lost log
        } catch (AuditCryptoException e) {
            throw CliException.failure("line " + reader.lineNumber() + ": cannot verify: " + e.getMessage()
                    + " (stopped after " + Wording.count(Math.max(0, lines.events - 1), "event") + ")");
        } catch (Lines.Failure e) {
            throw e.cause;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long failedLines = report.findings().stream().filter(f -> f.line() <= report.lines()).mapToLong(Finding::line)
                .distinct().count();
        boolean endFailed = false;
        for (Finding f : report.findings()) {
            boolean atEnd = f.line() > report.lines();
            endFailed |= atEnd;
            err.println("line " + f.line() + (atEnd ? " (the end of the log)" : "") + ": " + describe(f));
        }
        err.println(Wording.count(lines.events, "event") + ", " + failedLines + " failed"
                + (endFailed ? "; the end of the log failed" : ""));
        return report.valid() ? 0 : 1;
    }

    /** A smart-logs line's failure as it always read; a batch finding as its category, then why. */
    private static String describe(Finding f) {
        String reason = f.reason();
        if (f.problem() == Problem.SMART_LOGS_INVALID) {
            return TerminalText.safe(reason);
        }
        if (f.problem() == Problem.MALFORMED) {
            return "not a valid audit event: " + TerminalText.safe(reason);
        }
        return category(f.problem()) + ": " + TerminalText.safe(reason);
    }

    static String category(Problem p) {
        switch (p) {
            case FOREIGN:
                return "foreign (spliced from another log)";
            case UNKNOWN_KEY:
                return "unknown key";
            case NOT_BATCH_SEALED:
                return "not batch-sealed";
            default:
                return p.name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where seal reads and writes: stdin/--in and stdout/--out, opened only once the configuration is good. */
    interface LineReaderSource {
        LineReader reader() throws CliException, IOException;

        LineWriter writer() throws CliException, IOException;
    }

    /** The reader's lines as the library's {@code Iterable}, counting non-blank ones; read errors pass through. */
    private static final class Lines implements Iterable<String> {
        private final LineReader reader;
        long events;

        static final class Failure extends RuntimeException {
            private static final long serialVersionUID = 1L;
            final transient CliException cause;

            Failure(CliException cause) {
                super(cause.getMessage(), null, false, false);
                this.cause = cause;
            }
        }

        Lines(LineReader reader) {
            this.reader = reader;
        }

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private String next;
                private boolean done;

                @Override
                public boolean hasNext() {
                    if (next == null && !done) {
                        try {
                            next = reader.next();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } catch (CliException e) {
                            throw new Failure(e);
                        }
                        done = next == null;
                        if (next != null && !next.isBlank()) {
                            events++;
                        }
                    }
                    return next != null;
                }

                @Override
                public String next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    String s = next;
                    next = null;
                    return s;
                }
            };
        }
    }
}
