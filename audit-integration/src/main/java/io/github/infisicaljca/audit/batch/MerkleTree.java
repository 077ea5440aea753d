package io.github.infisicaljca.audit.batch;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 9162 §2.1.1 Merkle Tree Hash over SHA-256 (leaf {@code H(0x00 || d)}, node
 * {@code H(0x01 || left || right)}), with §2.1.3 inclusion proofs. Built bottom up, pairing
 * nodes left to right and carrying an odd last node up unchanged: that is the same tree as the
 * RFC's split at the largest power of two below n, with every level kept so that all proofs of a
 * batch cost no hashing.
 */
public final class MerkleTree {
    /** Bytes of every node hash (SHA-256). */
    public static final int HASH_LENGTH = 32;
    private final List<byte[][]> levels; // levels.get(0) = leaf hashes; last level = the root alone

    private MerkleTree(List<byte[][]> levels) {
        this.levels = levels;
    }

    /**
     * Builds the tree.
     *
     * @param leafHashes the leaf hashes (as {@link #leafHash} makes them), at least one
     * @return the tree over them
     */
    public static MerkleTree of(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            throw new IllegalArgumentException("a Merkle tree needs at least one leaf (a batch is never empty)");
        }
        List<byte[][]> levels = new ArrayList<>();
        byte[][] level = leafHashes.toArray(new byte[0][]);
        for (byte[] h : level) {
            if (h.length != HASH_LENGTH) {
                throw new IllegalArgumentException("a leaf hash must be " + HASH_LENGTH + " bytes, not " + h.length);
            }
        }
        levels.add(level);
        MessageDigest md = sha256();
        while (level.length > 1) {
            byte[][] up = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < level.length / 2; i++) {
                up[i] = nodeHash(md, level[2 * i], level[2 * i + 1]);
            }
            if (level.length % 2 == 1) {
                up[up.length - 1] = level[level.length - 1];
            }
            levels.add(up);
            level = up;
        }
        return new MerkleTree(levels);
    }

    /** {@return the number of leaves} */
    public int size() {
        return levels.get(0).length;
    }

    /** {@return the Merkle Tree Hash of all leaves} */
    public byte[] root() {
        return levels.get(levels.size() - 1)[0].clone();
    }

    /**
     * The inclusion proof of one leaf.
     *
     * @param index the leaf, from 0
     * @return its audit path, from the leaf's sibling up to the root's child (RFC 9162 order)
     */
    public List<byte[]> proof(int index) {
        List<byte[]> path = new ArrayList<>();
        proofSteps(index, (level, position) -> path.add(levels.get(level)[position].clone()));
        return path;
    }

    /** Where the nodes of a proof stand: level 0 holds the leaf hashes. */
    interface Step {
        void at(int level, int position);
    }

    /** The audit path of leaf {@code index} as node positions, in proof order. */
    void proofSteps(int index, Step step) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("leaf " + index + " of a tree of " + size());
        }
        int i = index;
        for (int l = 0; l < levels.size() - 1; l++) {
            int sibling = i ^ 1;
            if (sibling < levels.get(l).length) {
                step.at(l, sibling);
            }
            i >>= 1;
        }
    }

    /** Every node, level by level, mapped by {@code f} (a batch's seals encode each node once, not once per proof). */
    <T> List<List<T>> mapNodes(java.util.function.Function<byte[], T> f) {
        List<List<T>> out = new ArrayList<>(levels.size());
        for (byte[][] level : levels) {
            List<T> mapped = new ArrayList<>(level.length);
            for (byte[] node : level) {
                mapped.add(f.apply(node));
            }
            out.add(mapped);
        }
        return out;
    }

    /** A digest per thread: looking one up costs more than hashing a few hundred bytes with it. */
    private static final ThreadLocal<MessageDigest> LEAF_DIGEST = ThreadLocal.withInitial(MerkleTree::sha256);

    /**
     * SHA-256(0x00 || leaf). Thread-safe.
     *
     * @param leaf the leaf's bytes
     * @return its leaf hash
     */
    public static byte[] leafHash(byte[] leaf) {
        MessageDigest md = LEAF_DIGEST.get();
        md.update((byte) 0);
        return md.digest(leaf);
    }

    /**
     * RFC 9162 §2.1.3.2: whether {@code proof} shows leaf {@code index} of a tree of {@code size}
     * with that leaf hash to have {@code root}.
     *
     * @param leafHash the leaf's hash
     * @param index the leaf's position, from 0
     * @param size the number of leaves
     * @param proof the audit path
     * @param root the expected root
     * @return whether the proof holds
     */
    public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || leafHash.length != HASH_LENGTH || root.length != HASH_LENGTH) {
            return false;
        }
        MessageDigest md = sha256();
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0 || p.length != HASH_LENGTH) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(md, p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(md, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    private static byte[] nodeHash(MessageDigest md, byte[] left, byte[] right) {
        md.update((byte) 1);
        md.update(left);
        return md.digest(right);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
