package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.SigningAlgorithm;
import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;

/**
 * Local verification: the JDK's engine (see {@link JdkSignatures}), and for ECDSA two
 * corrections found by Wycheproof. A signature that is not strict DER (for example an INTEGER
 * missing its leading zero, which the JDK reads as positive) is refused, so one signature has
 * one encoding. And where the JDK rejects a signature whose point R has {@code x(R) >= n}
 * (JDK 17 compares x(R) with r without reducing it mod n; fixed by JDK-8285493 in later
 * releases), the signature is checked again exactly by {@link EcdsaArithmetic}; that can only
 * happen when {@code r + n < p}, which chance alone essentially never gives.
 */
final class LocalVerifier {
    private final SigningAlgorithm algorithm;
    private final Signature jdk;
    private PublicKey key;
    /** Only for ECDSA: the same hash, for the exact re-check. */
    private final MessageDigest digest;

    private LocalVerifier(SigningAlgorithm algorithm, Signature jdk, PublicKey key, MessageDigest digest) {
        this.algorithm = algorithm;
        this.jdk = jdk;
        this.key = key;
        this.digest = digest;
    }

    static LocalVerifier of(SigningAlgorithm algorithm, PublicKey key) throws InvalidKeyException {
        Signature jdk = JdkSignatures.verifier(algorithm, key);
        if (algorithm.family() != SigningAlgorithm.Family.ECDSA) {
            return new LocalVerifier(algorithm, jdk, key, null);
        }
        try {
            return new LocalVerifier(algorithm, jdk, key, MessageDigest.getInstance(algorithm.hashAlgorithm()));
        } catch (NoSuchAlgorithmException e) {
            throw new ProviderException("the JDK has no " + algorithm.hashAlgorithm(), e);
        }
    }

    /**
     * {@code previous} re-armed for {@code newKey} when it verifies the same algorithm and its
     * engine takes the key, else a new verifier. Finding and creating the JDK engine costs
     * about a tenth of an RSA verification, so an engine initialised again and again (as the
     * JCA allows) keeps its JDK engine.
     */
    static LocalVerifier reuse(LocalVerifier previous, SigningAlgorithm algorithm, PublicKey newKey)
            throws InvalidKeyException {
        if (previous == null || previous.algorithm != algorithm) {
            return of(algorithm, newKey);
        }
        try {
            previous.jdk.initVerify(newKey);
            if (algorithm.family() == SigningAlgorithm.Family.RSA_PSS) {
                previous.jdk.setParameter(SignatureScheme.pssSpec(algorithm));
            }
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            return of(algorithm, newKey); // another provider may take it
        }
        if (previous.digest != null) {
            previous.digest.reset();
        }
        previous.key = newKey;
        return previous;
    }

    void update(byte[] b, int off, int len) throws SignatureException {
        jdk.update(b, off, len);
        if (digest != null) {
            digest.update(b, off, len);
        }
    }

    /** Drops the message fed so far, as a new {@code initVerify} would. */
    void reset() {
        try {
            jdk.initVerify(key);
        } catch (InvalidKeyException e) {
            throw new ProviderException("the JDK refused a key it accepted before", e);
        }
        if (digest != null) {
            digest.reset();
        }
    }

    /** Verifies and resets, as {@link Signature#verify(byte[])} does. */
    boolean verify(byte[] signature) throws SignatureException {
        if (digest == null) {
            return jdk.verify(signature);
        }
        byte[] hash = digest.digest();
        BigInteger[] rs = signature == null ? null : decodeDer(signature);
        if (rs == null) {
            try {
                jdk.initVerify(key); // drops the message, as verify would
            } catch (InvalidKeyException e) {
                throw new ProviderException("the JDK refused a key it accepted before", e);
            }
            throw new SignatureException("not a DER-encoded ECDSA signature: expected SEQUENCE { INTEGER r, "
                    + "INTEGER s } with minimal, non-negative integers and nothing after it");
        }
        if (jdk.verify(signature)) {
            return true;
        }
        return key instanceof ECPublicKey && EcdsaArithmetic.mayNeedReduction((ECPublicKey) key, rs[0])
                && EcdsaArithmetic.verify((ECPublicKey) key, hash, rs[0], rs[1]);
    }

    /** {r, s} of a strict-DER ECDSA signature, or null when it is anything else. */
    static BigInteger[] decodeDer(byte[] der) {
        int[] pos = {0};
        int seqLength = header(der, pos, 0x30);
        if (seqLength < 0 || pos[0] + seqLength != der.length) {
            return null;
        }
        BigInteger r = integer(der, pos);
        BigInteger s = r == null ? null : integer(der, pos);
        return s == null || pos[0] != der.length ? null : new BigInteger[] {r, s};
    }

    private static BigInteger integer(byte[] der, int[] pos) {
        int length = header(der, pos, 0x02);
        if (length < 1 || pos[0] + length > der.length) {
            return null;
        }
        int start = pos[0];
        if ((der[start] & 0x80) != 0) {
            return null; // negative
        }
        if (length > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0) {
            return null; // a leading zero DER does not need
        }
        pos[0] += length;
        return new BigInteger(1, java.util.Arrays.copyOfRange(der, start, start + length));
    }

    /** Reads a tag and a minimal definite length; returns the length, or -1. */
    private static int header(byte[] der, int[] pos, int tag) {
        int p = pos[0];
        if (p + 2 > der.length || (der[p] & 0xFF) != tag) {
            return -1;
        }
        int first = der[p + 1] & 0xFF;
        p += 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7F;
            if (count == 0 || count > 2 || p + count > der.length || der[p] == 0) {
                return -1; // indefinite, too long for a signature, truncated or not minimal
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[p++] & 0xFF);
            }
            if (length < 0x80) {
                return -1; // the short form was required
            }
        }
        pos[0] = p;
        return length;
    }
}
