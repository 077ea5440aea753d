package io.github.infisicaljca.audit.lines;

import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import io.github.infisicaljca.audit.batch.BatchChain;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.batch.Checkpoint;
import io.github.infisicaljca.audit.batch.SignedBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch format: each event gets hash, hashAlgorithm and a seal; each run of
 * {@code eventsPerBatch} events one signature over their Merkle root, chained to the batch
 * before. The leaf hashes are made in parallel; the tree, the signature and the seals in order.
 */
final class BatchFormat implements LineFormat {
    private static final List<String> SEAL_FIELDS = List.of(AuditEvent.HASH, AuditEvent.HASH_ALGORITHM,
            AuditEvent.SIGNATURE, AuditEvent.ALGORITHM, "seal");
    private static final byte[] CLOSE = "}\n".getBytes(StandardCharsets.US_ASCII);

    private final BatchSigner signer;
    private final int eventsPerBatch;
    private final Checkpoint resume;

    BatchFormat(BatchSigner signer, int eventsPerBatch, Checkpoint resume) {
        this.signer = signer;
        this.eventsPerBatch = eventsPerBatch;
        this.resume = resume;
    }

    @Override
    public Prepared prepare(String line) {
        EventScan scan = EventScan.of(line, true);
        if (scan != null) {
            return appended(line, EventHasher.generateHash(scan.hashed), scan.leaf);
        }
        AuditEvent event = AuditEvent.parse(line); // the tree path: its errors are the ones to report
        String hash = EventHasher.generateHash(event);
        byte[] leaf = BatchChain.leafHash(event);
        // An event sealed before loses its old seal fields, as BatchSealer drops them: write it from its tree.
        return appended(SEAL_FIELDS.stream().anyMatch(event::has) ? unsealedJson(event) : line, hash, leaf);
    }

    private Prepared appended(String object, String hash, byte[] leaf) {
        String fields = "\"" + AuditEvent.HASH + "\":\"" + hash + "\",\"" + AuditEvent.HASH_ALGORITHM + "\":\""
                + EventHasher.HASH_ALGORITHM + "\",\"seal\":";
        return new Prepared(JsonLineText.append(object, fields, ""), leaf, signer.algorithm());
    }

    private static String unsealedJson(AuditEvent event) {
        com.fasterxml.jackson.databind.node.ObjectNode o = event.json();
        o.remove(SEAL_FIELDS);
        return AuditEvent.of(o).toJson();
    }

    @Override
    public Emitter emitter(OutputStream out) {
        BatchChain chain = resume == null ? BatchChain.start(signer) : BatchChain.resume(signer, resume);
        return new Emitter() {
            private final List<byte[]> texts = new ArrayList<>();
            private final List<byte[]> leaves = new ArrayList<>();
            private long lastLine;
            private long written;
            private long batches;
            private String algorithm;

            @Override
            public void accept(long line, Prepared p) throws IOException, SealStoppedException {
                texts.add(p.text());
                leaves.add(p.leaf());
                lastLine = line;
                if (texts.size() == eventsPerBatch) {
                    seal();
                }
            }

            @Override
            public void finish() throws IOException, SealStoppedException {
                if (!texts.isEmpty()) {
                    seal();
                }
            }

            private void seal() throws IOException, SealStoppedException {
                SignedBatch batch;
                try {
                    batch = chain.sign(leaves);
                } catch (AuditCryptoException | RuntimeException e) {
                    throw new SealStoppedException(SealStoppedException.Reason.SIGNING_FAILED, lastLine,
                            e.getMessage(), e, written, chain.checkpoint());
                }
                for (int i = 0; i < texts.size(); i++) {
                    out.write(texts.get(i));
                    batch.writeSealJson(i, out);
                    out.write(CLOSE);
                }
                written += texts.size();
                batches++;
                algorithm = batch.statement().algorithm();
                texts.clear();
                leaves.clear();
            }

            @Override
            public long written() {
                return written;
            }

            @Override
            public long batches() {
                return batches;
            }

            @Override
            public Checkpoint checkpoint() {
                return chain.checkpoint();
            }

            @Override
            public String algorithm() {
                return algorithm;
            }
        };
    }
}
