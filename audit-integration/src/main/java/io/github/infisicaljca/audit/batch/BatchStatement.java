package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one signature covers: a batch's root and size, and its place in the chain (the previous
 * batch's root, the events sealed up to and including it, its 0-based number) under one key and
 * algorithm. Signed as the UTF-8 bytes of {@link #canonical()}.
 */
public final class BatchStatement {
    /** The format version, in statements, seals and checkpoints. */
    public static final int VERSION = 1;
    /** The {@code prev} of batch 0. */
    static final byte[] GENESIS = new byte[MerkleTree.HASH_LENGTH];

    private final byte[] root;
    private final long size;
    private final byte[] prev;
    private final long count;
    private final long seq;
    private final String keyId;
    private final String algorithm;

    private BatchStatement(byte[] root, long size, byte[] prev, long count, long seq, String keyId, String algorithm) {
        this.root = root.clone();
        this.size = size;
        this.prev = prev.clone();
        this.count = count;
        this.seq = seq;
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (root.length != MerkleTree.HASH_LENGTH || prev.length != MerkleTree.HASH_LENGTH) {
            throw new IllegalArgumentException("root and prev must be 32-byte SHA-256 hashes");
        }
        // A batch is at most 2^31 - 1 events (a sealer's maxEvents is an int): a verifier tracks each index.
        if (size < 1 || size > Integer.MAX_VALUE || seq < 0 || count < size || count > Batches.MAX_COUNT) {
            throw new IllegalArgumentException("a batch statement needs 1 <= size <= 2^31 - 1, seq >= 0 and "
                    + "size <= count <= 2^53 (size " + size + ", count " + count + ", seq " + seq + ")");
        }
    }

    /**
     * A statement, checked.
     *
     * @param root the batch's Merkle root (32 bytes)
     * @param size the events in the batch, at least 1
     * @param prev the previous batch's root (32 zero bytes for the first batch)
     * @param count the events in the log up to and including this batch
     * @param seq the batch's number in the chain, from 0
     * @param keyId the signing key's name in seals
     * @param algorithm the signature algorithm
     * @return the statement
     * @throws IllegalArgumentException when a value is out of range
     */
    public static BatchStatement of(byte[] root, long size, byte[] prev, long count, long seq, String keyId,
            String algorithm) {
        return new BatchStatement(root, size, prev, count, seq, keyId, algorithm);
    }

    /** The statement of the batch of {@code tree} that follows {@code last} ({@code null}: the chain's first). */
    static BatchStatement next(BatchStatement last, MerkleTree tree, BatchSigner signer) {
        return new BatchStatement(tree.root(), tree.size(), last == null ? GENESIS : last.root(),
                (last == null ? 0 : last.count()) + tree.size(), last == null ? 0 : last.seq() + 1, signer.keyId(),
                signer.algorithm());
    }

    /** The statement fields of a seal or checkpoint object (both carry them under the same names). */
    static BatchStatement read(JsonNode o, String what) {
        Batches.requireVersion(o, what);
        return new BatchStatement(Batches.hash(o, "root", what), Batches.number(o, "size", what),
                Batches.hash(o, "prev", what), Batches.number(o, "count", what), Batches.number(o, "seq", what),
                Batches.text(o, "keyId", what), Batches.text(o, "algorithm", what));
    }

    /** Writes the statement fields into {@code o}. */
    ObjectNode write(ObjectNode o) {
        o.put("v", VERSION);
        o.put("root", Batches.b64(root));
        o.put("size", size);
        o.put("prev", Batches.b64(prev));
        o.put("count", count);
        o.put("seq", seq);
        o.put("keyId", keyId);
        o.put("algorithm", algorithm);
        return o;
    }

    /** {@return the signed text: RFC 8785 canonical JSON of the eight fields} */
    /** {@return the statement's canonical (RFC 8785) JSON: the text the batch signature covers} */
    public String canonical() {
        return Jcs.canonicalize(write(JsonNodeFactory.instance.objectNode()));
    }

    /** {@return the batch's Merkle root (a copy)} */
    public byte[] root() {
        return root.clone();
    }

    /** {@return the events in the batch} */
    public long size() {
        return size;
    }

    /** {@return the previous batch's root (a copy); 32 zero bytes for the first batch} */
    public byte[] prev() {
        return prev.clone();
    }

    /** {@return the events in the log up to and including this batch} */
    public long count() {
        return count;
    }

    /** {@return the batch's number in the chain, from 0} */
    public long seq() {
        return seq;
    }

    /** {@return the signing key's name in seals} */
    public String keyId() {
        return keyId;
    }

    /** {@return the signature algorithm} */
    public String algorithm() {
        return algorithm;
    }

    boolean sameRoot(byte[] other) {
        return Arrays.equals(root, other);
    }

    /** Whether this statement follows {@code before} in its chain: the next number, its root, its count plus size. */
    boolean follows(BatchStatement before) {
        return seq == before.seq + 1 && Arrays.equals(prev, before.root) && count == before.count + size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchStatement && ((BatchStatement) o).canonical().equals(canonical());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(root);
    }

    @Override
    public String toString() {
        return "BatchStatement" + canonical();
    }
}
