package io.github.infisicaljca.kms;

import java.util.Optional;

/** Infisical's signing algorithms (exact wire strings), with what a client must know of each. */
public enum SigningAlgorithm {
    RSASSA_PSS_SHA_256(Family.RSA_PSS, "SHA-256", 32),
    RSASSA_PSS_SHA_384(Family.RSA_PSS, "SHA-384", 48),
    RSASSA_PSS_SHA_512(Family.RSA_PSS, "SHA-512", 64),
    RSASSA_PKCS1_V1_5_SHA_256(Family.RSA_PKCS1, "SHA-256", 32),
    RSASSA_PKCS1_V1_5_SHA_384(Family.RSA_PKCS1, "SHA-384", 48),
    RSASSA_PKCS1_V1_5_SHA_512(Family.RSA_PKCS1, "SHA-512", 64),
    ECDSA_SHA_256(Family.ECDSA, "SHA-256", 32),
    ECDSA_SHA_384(Family.ECDSA, "SHA-384", 48),
    ECDSA_SHA_512(Family.ECDSA, "SHA-512", 64);

    /** The signature scheme; it decides which keys fit and whether digests are accepted. */
    public enum Family { RSA_PSS, RSA_PKCS1, ECDSA }

    private final Family family;
    private final String hash;
    private final int digestLength;

    SigningAlgorithm(Family family, String hash, int digestLength) {
        this.family = family;
        this.hash = hash;
        this.digestLength = digestLength;
    }

    public Family family() {
        return family;
    }

    /** The JDK {@code MessageDigest} name of the hash, for example {@code SHA-256}. */
    public String hashAlgorithm() {
        return hash;
    }

    /** Bytes of the digest, which is also the PSS salt length the server uses. */
    public int digestLength() {
        return digestLength;
    }

    /** The server refuses precomputed digests for PSS ({@code isDigest: true}). */
    public boolean acceptsDigest() {
        return family != Family.RSA_PSS;
    }

    public String wireName() {
        return name();
    }

    public static Optional<SigningAlgorithm> fromWire(String name) {
        for (SigningAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
