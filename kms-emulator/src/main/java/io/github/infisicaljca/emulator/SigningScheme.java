package io.github.infisicaljca.emulator;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Infisical's signing algorithms, implemented with the JDK's own providers: PKCS#1 v1.5 and
 * PSS (MGF1 with the same hash, salt = digest length) for RSA, DER-encoded ECDSA for EC.
 * With {@code isDigest} the data is the digest itself and is signed as such (PSS refuses it).
 */
enum SigningScheme {
    RSASSA_PSS_SHA_256("SHA-256", 32), RSASSA_PSS_SHA_384("SHA-384", 48), RSASSA_PSS_SHA_512("SHA-512", 64),
    RSASSA_PKCS1_V1_5_SHA_256("SHA-256", 32), RSASSA_PKCS1_V1_5_SHA_384("SHA-384", 48),
    RSASSA_PKCS1_V1_5_SHA_512("SHA-512", 64),
    ECDSA_SHA_256("SHA-256", 32), ECDSA_SHA_384("SHA-384", 48), ECDSA_SHA_512("SHA-512", 64);

    // DER DigestInfo prefixes (RFC 8017, section 9.2, note 1).
    private static final byte[] SHA256_PREFIX = hex("3031300d060960864801650304020105000420");
    private static final byte[] SHA384_PREFIX = hex("3041300d060960864801650304020205000430");
    private static final byte[] SHA512_PREFIX = hex("3051300d060960864801650304020305000440");

    final String hash;
    final int digestLength;

    SigningScheme(String hash, int digestLength) {
        this.hash = hash;
        this.digestLength = digestLength;
    }

    static SigningScheme fromWire(String s) {
        for (SigningScheme a : values()) {
            if (a.name().equals(s)) {
                return a;
            }
        }
        return null;
    }

    boolean isPss() {
        return name().startsWith("RSASSA_PSS");
    }

    boolean isRsa() {
        return name().startsWith("RSASSA_");
    }

    static List<String> forKey(KeySpec spec) {
        return Arrays.stream(values()).filter(a -> a.isRsa() == spec.isRsa()).map(Enum::name).toList();
    }

    byte[] sign(PrivateKey key, byte[] data, boolean isDigest) throws GeneralSecurityException {
        Signature s = engine(isDigest);
        s.initSign(key);
        s.update(isDigest ? input(data) : data);
        return s.sign();
    }

    boolean verify(PublicKey key, byte[] data, boolean isDigest, byte[] signature) throws GeneralSecurityException {
        Signature s = engine(isDigest);
        s.initVerify(key);
        s.update(isDigest ? input(data) : data);
        try {
            return s.verify(signature);
        } catch (java.security.SignatureException malformedSignature) {
            return false;
        }
    }

    private Signature engine(boolean isDigest) throws GeneralSecurityException {
        String h = hash.replace("-", "");
        if (isPss()) {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), digestLength, 1));
            return s;
        }
        if (isRsa()) {
            return Signature.getInstance(isDigest ? "NONEwithRSA" : h + "withRSA");
        }
        return Signature.getInstance(isDigest ? "NONEwithECDSA" : h + "withECDSA");
    }

    /** What the raw engine signs for a precomputed digest: DigestInfo for PKCS#1, the digest for ECDSA. */
    private byte[] input(byte[] digest) {
        if (!isRsa()) {
            return digest;
        }
        byte[] prefix = digestLength == 32 ? SHA256_PREFIX : digestLength == 48 ? SHA384_PREFIX : SHA512_PREFIX;
        byte[] out = Arrays.copyOf(prefix, prefix.length + digest.length);
        System.arraycopy(digest, 0, out, prefix.length, digest.length);
        return out;
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
