package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.lines.JsonLinesSealer;
import io.github.infisicaljca.audit.lines.LineSource;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sealers the audit seal figures measure against {@link SequentialSeal}: what
 * {@code audit seal} runs, {@link JsonLinesSealer} over a file (the command line reads through
 * its own strict UTF-8 line reader, here a {@link BufferedReader}).
 */
final class FileSeals {
    /** What each one is, for the figures' text: change it with the implementation. */
    static final String SMART_LOGS = "JsonLinesSealer.smartLogs: a streaming parse, hash and HMAC per event on every "
            + "core, the line written back as it came with the seal appended, in input order";
    static final String BATCH = "JsonLinesSealer.batches: a streaming parse, smart-logs hash and RFC 8785 leaf per "
            + "event on every core; one writer builds each tree, signs and writes in input order";
    static final String PIPELINED_BATCH = "the same; each batch is signed while the workers hash the next";

    private FileSeals() {
    }

    /** Each event sealed alone (hash and signature per event) by {@code crypto}. */
    static FileSeal smartLogs(AuditCrypto crypto) {
        return file(JsonLinesSealer.smartLogs(crypto).build());
    }

    /** The batch format, {@code maxEvents} per batch. */
    static FileSeal batch(BatchSigner signer, int maxEvents) {
        return file(JsonLinesSealer.batches(signer, maxEvents).build());
    }

    /** The batch format for a remote signer: the same sealer, whose signing always overlaps the next batch's hashing. */
    static FileSeal pipelinedBatch(BatchSigner signer, int maxEvents) {
        return batch(signer, maxEvents);
    }

    private static FileSeal file(JsonLinesSealer sealer) {
        return new FileSeal() {
            @Override
            public void seal(Path in, Path out) throws Exception {
                try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
                        OutputStream writer = Files.newOutputStream(out)) {
                    sealer.seal(LineSource.of(reader), writer);
                }
            }

            @Override
            public String toString() {
                return sealer.toString();
            }
        };
    }
}
