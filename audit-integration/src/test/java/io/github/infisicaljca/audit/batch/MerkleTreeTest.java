package io.github.infisicaljca.audit.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    /** RFC 9162 §2.1.1 written as the RFC states it: split at the largest power of two below n. */
    static byte[] mth(List<byte[]> leaves) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        if (leaves.size() == 1) {
            md.update((byte) 0);
            return md.digest(leaves.get(0));
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        byte[] l = mth(leaves.subList(0, k));
        byte[] r = mth(leaves.subList(k, leaves.size()));
        md.update((byte) 1);
        md.update(l);
        return md.digest(r);
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(("leaf " + i).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void rootsAndProofsMatchTheRfcDefinitionForEverySizeUpTo70() throws Exception {
        for (int n = 1; n <= 70; n++) {
            List<byte[]> data = leaves(n);
            List<byte[]> hashes = new ArrayList<>();
            data.forEach(d -> hashes.add(MerkleTree.leafHash(d)));
            MerkleTree t = MerkleTree.of(hashes);
            byte[] root = t.root();
            assertArrayEquals(mth(data), root, "n=" + n);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = t.proof(i);
                assertTrue(MerkleTree.verifyInclusion(hashes.get(i), i, n, proof, root), "n=" + n + " i=" + i);
                assertFalse(MerkleTree.verifyInclusion(hashes.get(i), (i + 1) % n, n, proof, root) && n > 1,
                        "wrong index n=" + n + " i=" + i);
                if (!proof.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] first = bad.get(0).clone();
                    first[0] ^= 1;
                    bad.set(0, first);
                    assertFalse(MerkleTree.verifyInclusion(hashes.get(i), i, n, bad, root));
                    assertFalse(MerkleTree.verifyInclusion(hashes.get(i), i, n, proof.subList(1, proof.size()), root));
                }
            }
        }
    }

    @Test
    void aLeafOfOneTreeDoesNotVerifyInAnother() {
        List<byte[]> a = new ArrayList<>();
        leaves(7).forEach(d -> a.add(MerkleTree.leafHash(d)));
        MerkleTree t = MerkleTree.of(a);
        byte[] other = MerkleTree.leafHash("other".getBytes(StandardCharsets.UTF_8));
        assertFalse(MerkleTree.verifyInclusion(other, 3, 7, t.proof(3), t.root()));
        assertFalse(Arrays.equals(MerkleTree.leafHash(new byte[0]), new byte[32]));
    }
}
