package io.github.infisicaljca.audit.batch;

import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import java.util.List;
import java.util.Objects;

/**
 * The chain of signed batches, one batch at a time: the batch format without buffering,
 * timers or threads ({@link BatchSealer} adds those). Each {@link #sign} links the new batch to
 * the last one signed and advances the chain only once the signature is made, so a failed
 * signature leaves no hole. Not thread-safe: one owner signs the batches in order.
 */
public final class BatchChain {
    /** The fields a leaf leaves out and a batch seal replaces: the smart-logs seal and a batch seal. */
    public static final List<String> SEAL_FIELDS = Batches.SEAL_FIELDS;

    private final BatchSigner signer;
    private BatchStatement last;
    private Checkpoint checkpoint;

    private BatchChain(BatchSigner signer, Checkpoint resume) {
        this.signer = Objects.requireNonNull(signer, "signer");
        if (resume != null) {
            requireSameKey(resume, signer);
            this.last = resume.statement();
            this.checkpoint = resume;
        }
    }

    /**
     * A new chain: its first batch is number 0, linked to the genesis root (32 zero bytes).
     *
     * @param signer the key that signs each batch
     * @return the chain
     */
    public static BatchChain start(BatchSigner signer) {
        return new BatchChain(signer, null);
    }

    /**
     * Continues the chain that ends at {@code after}: the next batch is its seq + 1, linked to its root.
     *
     * @param signer the key that signed the chain so far
     * @param after where the chain ends
     * @return the chain
     * @throws IllegalArgumentException when the checkpoint was signed with another key
     */
    public static BatchChain resume(BatchSigner signer, Checkpoint after) {
        return new BatchChain(signer, Objects.requireNonNull(after, "checkpoint"));
    }

    /**
     * An event's leaf hash: SHA-256 over 0x00 and the RFC 8785 form of the whole event without
     * its seal fields. Thread-safe; the costly part of sealing, so callers compute it in parallel.
     *
     * @param event the event
     * @return its leaf hash
     * @throws IllegalArgumentException when the event cannot be canonicalised (e.g. an integer beyond 2^53)
     */
    public static byte[] leafHash(AuditEvent event) {
        return Batches.leafHash(Batches.unsealed(event));
    }

    /**
     * Signs the batch of these leaf hashes (in the events' order) as the chain's next batch.
     *
     * @param leafHashes the events' leaf hashes, at least one
     * @return the signed batch
     * @throws AuditCryptoException when the signer fails; the chain stays where it was
     */
    public SignedBatch sign(List<byte[]> leafHashes) throws AuditCryptoException {
        Pending p = new Pending(MerkleTree.of(leafHashes), last, signer);
        SignedBatch signed = p.sign();
        last = p.statement;
        checkpoint = signed.checkpoint();
        return signed;
    }

    /**
     * The chain's next batch, unsigned: the chain moves on to it at once, so that the batches
     * after it can be formed, and signed, while it is being signed (several remote signatures
     * in flight at a time). Its signature must then succeed, or the owner must stop: the batches
     * formed after it link to its root. {@link #checkpoint()} does not follow these batches; the
     * owner keeps the checkpoint of the last one it wrote.
     *
     * @param leafHashes the events' leaf hashes, at least one
     * @return the batch, to sign
     */
    public Pending next(List<byte[]> leafHashes) {
        Pending p = new Pending(MerkleTree.of(leafHashes), last, signer);
        last = p.statement;
        return p;
    }

    /** A batch of the chain waiting for its signature; {@link #sign} is thread-safe. */
    public static final class Pending {
        private final MerkleTree tree;
        private final BatchStatement statement;
        private final BatchSigner signer;

        private Pending(MerkleTree tree, BatchStatement last, BatchSigner signer) {
            this.tree = tree;
            this.statement = BatchStatement.next(last, tree, signer);
            this.signer = signer;
        }

        /** {@return what the signature will cover: root, size, previous root, sequence number, key} */
        public BatchStatement statement() {
            return statement;
        }

        /**
         * Signs the batch.
         *
         * @return the signed batch
         * @throws AuditCryptoException when the signer fails; the chain's owner must then stop
         */
        public SignedBatch sign() throws AuditCryptoException {
            return new SignedBatch(tree, statement, signer.sign(statement.canonical()));
        }
    }

    /**
     * Where the chain ends: the last batch {@link #sign}ed, or the checkpoint resumed from;
     * {@code null} before either.
     *
     * @return the checkpoint, or {@code null}
     */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    static void requireSameKey(Checkpoint c, BatchSigner signer) {
        if (!c.statement().keyId().equals(signer.keyId())) {
            // Allowed in principle (a key rotation), but a mix-up is likelier: say so rather than guess.
            throw new IllegalArgumentException("the checkpoint was signed with key " + c.statement().keyId()
                    + ", this sealer signs with " + signer.keyId());
        }
    }

    @Override
    public String toString() {
        return "BatchChain{signer=" + signer + ", head=" + (last == null ? "genesis" : last) + "}";
    }
}
