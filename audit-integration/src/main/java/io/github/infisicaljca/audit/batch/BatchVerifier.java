package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import io.github.infisicaljca.audit.Verification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies batch-sealed events: one alone (its leaf, proof, root and the batch signature), a
 * whole log (each line, plus order, gaps and the chain across lines), a log against a
 * checkpoint (it must end exactly there), and a stream that is either a log or one extracted
 * event ({@link #verifyLogOrEvent}). Keys are found by the seal's key id and algorithm;
 * any other is {@link Problem#UNKNOWN_KEY}. Thread-safe (no state between calls).
 */
public final class BatchVerifier {
    private final Map<String, BatchSigner> keys;
    private final AuditCrypto smartLogs;

    private BatchVerifier(Map<String, BatchSigner> keys, AuditCrypto smartLogs) {
        this.keys = Map.copyOf(keys);
        this.smartLogs = smartLogs;
    }

    /** {@return a builder: add the batch keys, and a smart-logs verifier for unbatched lines} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One sealed event, alone: its leaf, proof, root and the batch signature.
     *
     * @param event the event with its batch seal
     * @return empty when it verifies; else the finding (line 1)
     * @throws AuditCryptoException only when a KMS needed to verify is unavailable
     */
    public Optional<Finding> verifyEvent(AuditEvent event) throws AuditCryptoException {
        List<Finding> out = new ArrayList<>();
        check(event, 1, out, new SignatureCache());
        return out.stream().findFirst();
    }

    /**
     * A checkpoint's own signature.
     *
     * @param c the checkpoint
     * @return empty when it verifies; else the finding
     * @throws AuditCryptoException only when a KMS needed to verify is unavailable
     */
    public Optional<Finding> verifyCheckpoint(Checkpoint c) throws AuditCryptoException {
        return Optional.ofNullable(signatureProblem(c.statement(), Batches.bytes(c.signature(), "signature",
                "checkpoint"), 0, "the checkpoint's", new SignatureCache()));
    }

    /**
     * A log, line by line (blank lines are skipped); with a checkpoint, the log must end exactly at it.
     *
     * @param lines the log's lines
     * @param checkpoint where the log must end, or {@code null}
     * @return every finding, with the counts
     * @throws AuditCryptoException only when a KMS needed to verify is unavailable
     */
    public Report verifyLines(Iterable<String> lines, Checkpoint checkpoint) throws AuditCryptoException {
        return verify(lines, checkpoint, false);
    }

    /**
     * A log, or one event extracted from its log: as {@link #verifyLines}, except that lines holding
     * exactly one event, with no checkpoint, are checked as that event alone (as {@link #verifyEvent}:
     * its seal, proof, root and signature), not as a whole log whose other events are missing. Only
     * the stream's end tells which it is, so it is read once either way.
     *
     * @param lines the log's lines, or the one event's
     * @param checkpoint where the log must end, or {@code null}
     * @return every finding, with the counts
     * @throws AuditCryptoException only when a KMS needed to verify is unavailable
     */
    public Report verifyLogOrEvent(Iterable<String> lines, Checkpoint checkpoint) throws AuditCryptoException {
        return verify(lines, checkpoint, checkpoint == null);
    }

    private Report verify(Iterable<String> lines, Checkpoint checkpoint, boolean oneMayStandAlone)
            throws AuditCryptoException {
        // A line's own findings apart from the chain's (order, gaps, end, checkpoint): an event alone keeps only its own.
        List<Finding> own = new ArrayList<>();
        List<Finding> chained = new ArrayList<>();
        ChainTracker chain = new ChainTracker(chained);
        SignatureCache cache = new SignatureCache();
        long n = 0;
        long events = 0;
        for (String text : lines) {
            n++;
            if (text.isBlank()) {
                continue;
            }
            events++;
            AuditEvent event;
            try {
                event = AuditEvent.parse(text);
            } catch (IllegalArgumentException e) {
                own.add(new Finding(n, Problem.MALFORMED, e.getMessage()));
                chain.unplaced();
                continue;
            }
            if (!event.has(Batches.SEAL)) {
                if (smartLogsValid(event, n, own) && chain.inOpenBatch()) {
                    chained.add(new Finding(n, Problem.INSERTED, "a smart-logs event inside batch " + chain.head().seq()));
                }
                continue;
            }
            int before = own.size();
            Seal seal = check(event, n, own, cache);
            if (seal != null) {
                chain.accept(n, seal, own.size() > before);
            } else {
                chain.unplaced();
            }
        }
        chain.end(n + 1);
        if (checkpoint != null) {
            atCheckpoint(checkpoint, chain, n + 1, chained, cache);
        }
        List<Finding> kept = new ArrayList<>(own);
        if (!(oneMayStandAlone && events == 1)) {
            kept.addAll(chained);
        }
        // Stable: on one line, its own finding stays before the chain's, as they were found.
        kept.removeIf(Objects::isNull);
        kept.sort(java.util.Comparator.comparingLong(Finding::line));
        return new Report(kept, n, chain.head());
    }

    /** A line without a batch seal: whether it verifies as a smart-logs event (else its finding is added). */
    private boolean smartLogsValid(AuditEvent event, long n, List<Finding> findings) throws AuditCryptoException {
        if (smartLogs == null) {
            findings.add(new Finding(n, Problem.NOT_BATCH_SEALED, "the line has no batch seal (a smart-logs event?) "
                    + "and no smart-logs verifier is configured"));
            return false;
        }
        Verification v = smartLogs.verify(event);
        if (!v.valid()) {
            findings.add(new Finding(n, Problem.SMART_LOGS_INVALID, v.reason()));
        }
        return v.valid();
    }

    private void atCheckpoint(Checkpoint c, ChainTracker chain, long end, List<Finding> findings, SignatureCache cache)
            throws AuditCryptoException {
        Finding bad = signatureProblem(c.statement(), Batches.bytes(c.signature(), "signature", "checkpoint"), end,
                "the checkpoint's", cache);
        if (bad != null) {
            findings.add(bad);
            return;
        }
        BatchStatement want = c.statement();
        BatchStatement head = chain.head();
        if (head != null && head.equals(want)) {
            return;
        }
        if (head == null || want.seq() > head.seq()) {
            findings.add(new Finding(end, Problem.TRUNCATED, "the log ends at batch " + (head == null ? "none"
                    : head.seq()) + " but the checkpoint is batch " + want.seq() + " (" + want.count() + " events)"));
        } else if (chain.contains(want)) {
            findings.add(new Finding(end, Problem.INSERTED, "the log goes on past the checkpoint (batch " + want.seq()
                    + ") to batch " + head.seq()));
        } else {
            findings.add(new Finding(end, Problem.FOREIGN, "the checkpoint (batch " + want.seq() + ") is not a batch of "
                    + "this log's chain"));
        }
    }

    /** The per-line checks; returns the seal when its statement is authentic (so it may place the event). */
    private Seal check(AuditEvent event, long n, List<Finding> out, SignatureCache cache) throws AuditCryptoException {
        ObjectNode node = event.json();
        Seal seal;
        try {
            seal = Seal.read(node.get(Batches.SEAL));
        } catch (IllegalArgumentException e) {
            out.add(new Finding(n, Problem.MALFORMED, e.getMessage()));
            return null;
        }
        Finding sig = signatureProblem(seal.statement(), seal.signatureBytes(), n, "the batch", cache);
        if (sig != null) {
            out.add(sig);
            return null;
        }
        String problem = eventProblem(event, node, seal);
        if (problem != null) {
            out.add(new Finding(n, Problem.ALTERED, problem));
        }
        return seal;
    }

    private static String eventProblem(AuditEvent event, ObjectNode node, Seal seal) {
        JsonNode hash = node.get(AuditEvent.HASH);
        JsonNode alg = node.get(AuditEvent.HASH_ALGORITHM);
        if (hash == null || !hash.isTextual() || alg == null || !EventHasher.HASH_ALGORITHM.equals(alg.asText())) {
            return "the event's hash or hashAlgorithm is missing or changed";
        }
        try {
            if (!EventHasher.verifyHash(event, hash.textValue())) {
                return "the smart-logs hash does not match the event's fields: a hashed field was changed";
            }
            byte[] leaf = Batches.leafHash(Batches.unsealed(event));
            BatchStatement st = seal.statement();
            if (!MerkleTree.verifyInclusion(leaf, seal.index(), st.size(), seal.proof(), st.root())) {
                return "the event does not match its seal (leaf " + seal.index() + " of " + st.size()
                        + " of batch " + st.seq() + "): a field was changed, added or removed";
            }
        } catch (IllegalArgumentException e) {
            return "the event cannot be hashed: " + e.getMessage();
        }
        return null;
    }

    private Finding signatureProblem(BatchStatement st, byte[] signature, long n, String whose, SignatureCache cache)
            throws AuditCryptoException {
        BatchSigner key = keys.get(st.keyId() + "\n" + st.algorithm());
        if (key == null) {
            return new Finding(n, Problem.UNKNOWN_KEY, "signed with key " + st.keyId() + " and algorithm "
                    + st.algorithm() + ", which this verifier does not hold");
        }
        String text = st.canonical();
        if (!cache.verified(text, signature, key)) {
            return new Finding(n, Problem.ALTERED, whose + " signature does not verify (batch " + st.seq()
                    + "): the seal or statement was changed");
        }
        return null;
    }

    /** The last statement verified: all events of a batch carry it, so one check serves the batch. */
    private static final class SignatureCache {
        private final Map<String, Boolean> last = new HashMap<>();

        boolean verified(String statement, byte[] signature, BatchSigner key) throws AuditCryptoException {
            String k = statement + "\n" + java.util.Base64.getEncoder().encodeToString(signature);
            Boolean ok = last.get(k);
            if (ok == null) {
                ok = key.verify(statement, signature);
                if (last.size() > 16) {
                    last.clear();
                }
                last.put(k, ok);
            }
            return ok;
        }
    }

    @Override
    public String toString() {
        return "BatchVerifier{keys=" + keys.values() + ", smartLogs=" + (smartLogs != null) + "}";
    }

    /** The keys and verifiers a {@link BatchVerifier} uses. */
    public static final class Builder {
        private final Map<String, BatchSigner> keys = new HashMap<>();
        private AuditCrypto smartLogs;

        private Builder() {
        }

        /**
         * A key that seals may name (by its key id and algorithm).
         *
         * @param key a key batch signatures are checked with
         * @return this builder
         */
        public Builder key(BatchSigner key) {
            keys.put(key.keyId() + "\n" + key.algorithm(), key);
            return this;
        }

        /**
         * Verifies lines without a batch seal as smart-logs events. With it, the verifier may hold no
         * batch key: every batch-sealed line is then {@link Problem#UNKNOWN_KEY}.
         *
         * @param crypto the smart-logs verifier
         * @return this builder
         */
        public Builder smartLogs(AuditCrypto crypto) {
            this.smartLogs = crypto;
            return this;
        }

        /**
         * Checks that the verifier can verify something.
         *
         * @return the verifier
         * @throws IllegalArgumentException with neither a batch key nor a smart-logs verifier (it could verify nothing)
         */
        public BatchVerifier build() {
            if (keys.isEmpty() && smartLogs == null) {
                throw new IllegalArgumentException("a batch verifier needs at least one batch key, or a smart-logs "
                        + "verifier (then every batch-sealed line is an unknown key)");
            }
            return new BatchVerifier(keys, smartLogs);
        }
    }
}
