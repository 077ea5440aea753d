package io.github.infisicaljca.audit.lines;

import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.batch.Checkpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Seals a JSON Lines audit log, a stream of events one per line, into a stream of sealed
 * events: in the smart-logs format (each event signed alone) or in the batch format (one
 * signature per batch, see {@code docs/audit-batch-format.md}). Each event's line is written
 * back as it came, its seal fields appended, so every other field keeps its exact text.
 *
 * <p>The work uses every core: events are parsed, hashed (and, one signature each, signed) on
 * {@link Builder#threads} threads, while one writer keeps the input order, signs each batch and
 * writes; a batch's remote signature overlaps hashing the next. Blank lines are skipped. The
 * first line that cannot be sealed stops the seal with {@link SealStoppedException}: the
 * events before it are sealed and written (their batch signed), nothing after.
 *
 * <p>Immutable and thread-safe; each {@link #seal} is independent (in the batch format each
 * starts from the builder's {@link Builder#resumeFrom} checkpoint, or a new chain).
 */
public final class JsonLinesSealer {
    /** The most events a batch may hold here: a seal's proof and a batch's lines are held in memory. */
    public static final int MAX_EVENTS_PER_BATCH = 1_000_000;

    private final AuditCrypto smartLogs;
    private final BatchSigner signer;
    private final int eventsPerBatch;
    private final Checkpoint resume;
    private final int threads;

    private JsonLinesSealer(Builder b) {
        this.smartLogs = b.smartLogs;
        this.signer = b.signer;
        this.eventsPerBatch = b.eventsPerBatch;
        this.resume = b.resume;
        this.threads = b.threads;
    }

    /**
     * Each event signed alone by {@code crypto}, byte for byte the smart-logs seal.
     *
     * @param crypto the smart-logs seal
     * @return a builder of such a sealer
     */
    public static Builder smartLogs(AuditCrypto crypto) {
        return new Builder(Objects.requireNonNull(crypto, "crypto"), null, 0);
    }

    /**
     * One signature by {@code signer} per {@code eventsPerBatch} events (the last batch may hold fewer).
     *
     * @param signer the key that signs each batch
     * @param eventsPerBatch events per batch, at least 1
     * @return a builder of such a sealer
     */
    public static Builder batches(BatchSigner signer, int eventsPerBatch) {
        return new Builder(null, Objects.requireNonNull(signer, "signer"), eventsPerBatch);
    }

    /**
     * What a finished seal did.
     *
     * @param events     events sealed and written
     * @param batches    batches signed (0 in the smart-logs format)
     * @param algorithm  the last signature's algorithm, {@code null} when no event was sealed
     * @param checkpoint batch format: where the chain now ends ({@code null} if it is empty); else {@code null}
     */
    public record Summary(long events, long batches, String algorithm, Checkpoint checkpoint) {
    }

    /**
     * Reads every line of {@code in}, writes the sealed events to {@code out} (UTF-8, one per
     * line, {@code \n}), flushed but not closed.
     *
     * @param in the input lines
     * @param out where the sealed events go
     * @return what was sealed
     * @throws SealStoppedException at the first event that cannot be sealed or signed, or when
     *         reading {@code in} fails (the lines before are sealed either way)
     * @throws IOException          when writing to {@code out} fails
     */
    public Summary seal(LineSource in, OutputStream out) throws IOException, SealStoppedException {
        LineFormat format = signer == null ? new SmartLogsFormat(smartLogs)
                : new BatchFormat(signer, eventsPerBatch, resume);
        LineFormat.Emitter done = new OrderedPipeline(format, threads, window()).run(in, out);
        return new Summary(done.written(), done.batches(), done.algorithm(), done.checkpoint());
    }

    /**
     * Chunks in flight: enough for every worker to have the next one ready (so the output lags
     * the input by a few hundred lines, not by the file), and in the batch format up to a batch's
     * worth more, so that hashing goes on while the writer signs.
     */
    private int window() {
        int perBatch = signer == null ? 0 : (eventsPerBatch + OrderedPipeline.CHUNK_LINES - 1) / OrderedPipeline.CHUNK_LINES;
        return Math.min(2 * threads + 2, 34) + Math.min(perBatch, 8);
    }

    @Override
    public String toString() {
        return "JsonLinesSealer{" + (signer == null ? "smart-logs, " + smartLogs
                : "batches of " + eventsPerBatch + ", " + signer) + ", threads=" + threads + "}";
    }

    /** {@link #build()} checks the settings. */
    public static final class Builder {
        private final AuditCrypto smartLogs;
        private final BatchSigner signer;
        private final int eventsPerBatch;
        private Checkpoint resume;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder(AuditCrypto smartLogs, BatchSigner signer, int eventsPerBatch) {
            this.smartLogs = smartLogs;
            this.signer = signer;
            this.eventsPerBatch = eventsPerBatch;
        }

        /**
         * Batch format: continues the chain that ends at {@code checkpoint} (same key).
         *
         * @param checkpoint where the log ends so far
         * @return this builder
         */
        public Builder resumeFrom(Checkpoint checkpoint) {
            this.resume = Objects.requireNonNull(checkpoint, "checkpoint");
            return this;
        }

        /**
         * Threads that parse and hash (default: the available processors).
         *
         * @param n the number of threads, 1 to 256
         * @return this builder
         */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /**
         * Checks the options.
         *
         * @return the sealer
         * @throws IllegalArgumentException when a value is out of range
         */
        public JsonLinesSealer build() {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be from 1 to 256, not " + threads);
            }
            if (signer == null) {
                if (resume != null) {
                    throw new IllegalArgumentException("resumeFrom is for the batch format: smart-logs seals form no chain");
                }
            } else {
                if (eventsPerBatch < 1 || eventsPerBatch > MAX_EVENTS_PER_BATCH) {
                    throw new IllegalArgumentException("eventsPerBatch must be from 1 to " + MAX_EVENTS_PER_BATCH
                            + ", not " + eventsPerBatch);
                }
                if (resume != null) {
                    io.github.infisicaljca.audit.batch.BatchChain.resume(signer, resume); // the same key check, now
                }
            }
            return new JsonLinesSealer(this);
        }
    }
}
