package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.batch.BatchSealer;
import io.github.infisicaljca.audit.batch.BatchSigner;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The sealers the audit seal figures measure against {@link SequentialSeal}: the one place to
 * swap in a new implementation. Today's: the smart-logs seal is the baseline's own loop (so its
 * figure reads about 1), the batch seals feed {@link BatchSealer#addAll} chunk by chunk.
 */
final class FileSeals {
    /** What each one is, for the figures' text: change it with the implementation. */
    static final String SMART_LOGS = "for now the sequential loop itself";
    static final String BATCH = "BatchSealer.addAll over chunks of whole batches (about 4,096 lines) parsed in "
            + "parallel, a sink writing each sealed event, each batch signed in the adding thread";
    static final String PIPELINED_BATCH = "the same, pipelined: each batch signed on a background thread while the "
            + "next one fills";

    private FileSeals() {
    }

    /** Each event sealed alone (hash and signature per event) by {@code crypto}. */
    static FileSeal smartLogs(AuditCrypto crypto) {
        return new SequentialSeal(crypto);
    }

    /** The batch format, {@code maxEvents} per batch, each batch signed in the adding thread. */
    static FileSeal batch(BatchSigner signer, int maxEvents) {
        return new BatchFileSeal(signer, maxEvents, false);
    }

    /** The batch format with the signature pipelined: a remote signature overlaps the next batch's hashing. */
    static FileSeal pipelinedBatch(BatchSigner signer, int maxEvents) {
        return new BatchFileSeal(signer, maxEvents, true);
    }

    /**
     * Lines are parsed in parallel and handed to {@link BatchSealer#addAll} (which hashes in
     * parallel) in chunks of whole batches; the sink writes each sealed event. At most two chunks
     * are in flight, so a slow signer holds back the reading instead of filling the heap.
     */
    private static final class BatchFileSeal implements FileSeal {
        /** About this many lines a chunk, rounded down to whole batches (at least one). */
        private static final int CHUNK_LINES = 4096;

        private final BatchSigner signer;
        private final int maxEvents;
        private final boolean pipelined;
        private final int chunk;

        BatchFileSeal(BatchSigner signer, int maxEvents, boolean pipelined) {
            if (maxEvents < 1) {
                throw new IllegalArgumentException("maxEvents must be at least 1, not " + maxEvents);
            }
            this.signer = Objects.requireNonNull(signer, "signer");
            this.maxEvents = maxEvents;
            this.pipelined = pipelined;
            // Whole batches: once a chunk is added, every batch of it is closed, so waiting for one cannot hang.
            this.chunk = Math.max(1, CHUNK_LINES / maxEvents) * maxEvents;
        }

        @Override
        public void seal(Path in, Path out) throws Exception {
            long[] written = {0};
            long added = 0;
            try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
                    BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                    BatchSealer sealer = BatchSealer.builder(signer).maxEvents(maxEvents).pipelined(pipelined)
                            .sink(e -> write(writer, e, written)).build()) {
                List<String> lines = new ArrayList<>(chunk);
                CompletableFuture<AuditEvent> previous = null;
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    lines.add(line);
                    if (lines.size() == chunk) {
                        CompletableFuture<AuditEvent> last = add(sealer, lines);
                        added += lines.size();
                        lines.clear();
                        if (previous != null) {
                            previous.join();
                        }
                        previous = last;
                    }
                }
                add(sealer, lines);
                added += lines.size();
                sealer.close();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (written[0] != added) {
                throw new IllegalStateException(written[0] + " of " + added + " events were sealed");
            }
        }

        /** The future of the chunk's last event; {@code null} for an empty chunk. */
        private static CompletableFuture<AuditEvent> add(BatchSealer sealer, List<String> lines) {
            List<AuditEvent> events = lines.parallelStream().map(AuditEvent::parse).toList();
            List<CompletableFuture<AuditEvent>> sealed = sealer.addAll(events);
            return sealed.isEmpty() ? null : sealed.get(sealed.size() - 1);
        }

        private static void write(BufferedWriter writer, AuditEvent event, long[] written) {
            try {
                writer.write(event.toJson());
                writer.write('\n');
                written[0]++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "BatchFileSeal{signer=" + signer + ", maxEvents=" + maxEvents + ", pipelined=" + pipelined + "}";
        }
    }
}
