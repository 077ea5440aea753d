package io.github.infisicaljca.audit.lines;

import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import io.github.infisicaljca.audit.batch.BatchChain;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.batch.Checkpoint;
import io.github.infisicaljca.audit.batch.SignedBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The batch format: each event gets hash, hashAlgorithm and a seal; each run of
 * {@code eventsPerBatch} events one signature over their Merkle root, chained to the batch
 * before. The leaf hashes are made in parallel; the tree, the signature and the seals in order.
 */
final class BatchFormat implements LineFormat {
    /** The fields a batch seal drops before it seals: the smart-logs seal and an older batch seal. */
    static final Set<String> SEAL_FIELDS = Set.copyOf(BatchChain.SEAL_FIELDS);
    private static final byte[] CLOSE = "}\n".getBytes(StandardCharsets.US_ASCII);
    /** Remote signatures at a time: each one is a KMS round trip that would otherwise wait for the one before. */
    static final int MAX_SIGNATURES_IN_FLIGHT = 4;
    /** Events held while their batches are signed: bounds memory when batches are large (then fewer in flight). */
    static final int MAX_EVENTS_IN_FLIGHT = 16_384;

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
        return new BatchEmitter(out);
    }

    /**
     * Collects each batch's lines, forms the batch (tree and chained statement) as soon as it is
     * full and has it signed on a signing thread, up to {@link #inFlight} batches at a time:
     * remote signatures overlap each other and the hashing of the batches after them. Batches
     * are written strictly in order, each once its signature is in.
     */
    private final class BatchEmitter implements Emitter {
        private final OutputStream out;
        private final BatchChain chain = resume == null ? BatchChain.start(signer) : BatchChain.resume(signer, resume);
        private final ArrayDeque<Signing> signing = new ArrayDeque<>();
        private final int inFlight = Math.max(1, Math.min(MAX_SIGNATURES_IN_FLIGHT, MAX_EVENTS_IN_FLIGHT / eventsPerBatch));
        private final ExecutorService signers = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "audit-seal-signer");
            t.setDaemon(true);
            return t;
        });
        private List<byte[]> texts = new ArrayList<>();
        private List<byte[]> leaves = new ArrayList<>();
        private long lastLine;
        private long written;
        private long batches;
        private String algorithm;
        private Checkpoint checkpoint = resume;

        /** A formed batch: its lines, the line that closed it, its signature to come. */
        private record Signing(List<byte[]> texts, long lastLine, CompletableFuture<SignedBatch> signed) {
        }

        BatchEmitter(OutputStream out) {
            this.out = out;
        }

        @Override
        public void accept(long line, Prepared p) throws IOException, SealStoppedException {
            texts.add(p.text());
            leaves.add(p.leaf());
            lastLine = line;
            if (texts.size() == eventsPerBatch) {
                form();
                writeSigned(inFlight);
            }
        }

        @Override
        public void finish() throws IOException, SealStoppedException {
            if (!texts.isEmpty()) {
                form();
            }
            writeSigned(0);
        }

        @Override
        public void close() {
            signers.shutdownNow();
        }

        private void form() {
            BatchChain.Pending batch = chain.next(leaves);
            CompletableFuture<SignedBatch> signed = new CompletableFuture<>();
            signers.execute(() -> {
                try {
                    signed.complete(batch.sign());
                } catch (Throwable e) {
                    signed.completeExceptionally(e);
                }
            });
            signing.add(new Signing(texts, lastLine, signed));
            texts = new ArrayList<>();
            leaves = new ArrayList<>();
        }

        /** Writes the signed batches at the head of the queue, waiting until at most {@code keep} are left. */
        private void writeSigned(int keep) throws IOException, SealStoppedException {
            while (!signing.isEmpty() && (signing.size() > keep || signing.peek().signed.isDone())) {
                Signing head = signing.poll();
                SignedBatch batch;
                try {
                    batch = head.signed.join();
                } catch (CompletionException e) {
                    // The batches formed after it link to its root: none of them may be written either.
                    signing.forEach(later -> later.signed.cancel(false));
                    signing.clear();
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    throw new SealStoppedException(SealStoppedException.Reason.SIGNING_FAILED, head.lastLine,
                            cause.getMessage(), cause, written, checkpoint);
                }
                for (int i = 0; i < head.texts.size(); i++) {
                    out.write(head.texts.get(i));
                    batch.writeSealJson(i, out);
                    out.write(CLOSE);
                }
                written += head.texts.size();
                batches++;
                algorithm = batch.statement().algorithm();
                checkpoint = batch.checkpoint();
            }
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
            return checkpoint;
        }

        @Override
        public String algorithm() {
            return algorithm;
        }
    }
}
