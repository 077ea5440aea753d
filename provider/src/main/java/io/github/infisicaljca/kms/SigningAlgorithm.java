package io.github.infisicaljca.kms;

import java.util.Optional;

/** Infisical's signing algorithms (exact wire strings), with what a client must know of each. */
public enum SigningAlgorithm {
    /** RSASSA-PSS with SHA-256, MGF1 with the same hash, salt of 32 bytes. */
    RSASSA_PSS_SHA_256(Family.RSA_PSS, "SHA-256", 32),
    /** RSASSA-PSS with SHA-384, MGF1 with the same hash, salt of 48 bytes. */
    RSASSA_PSS_SHA_384(Family.RSA_PSS, "SHA-384", 48),
    /** RSASSA-PSS with SHA-512, MGF1 with the same hash, salt of 64 bytes. */
    RSASSA_PSS_SHA_512(Family.RSA_PSS, "SHA-512", 64),
    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RSASSA_PKCS1_V1_5_SHA_256(Family.RSA_PKCS1, "SHA-256", 32),
    /** RSASSA-PKCS1-v1_5 with SHA-384. */
    RSASSA_PKCS1_V1_5_SHA_384(Family.RSA_PKCS1, "SHA-384", 48),
    /** RSASSA-PKCS1-v1_5 with SHA-512. */
    RSASSA_PKCS1_V1_5_SHA_512(Family.RSA_PKCS1, "SHA-512", 64),
    /** ECDSA with SHA-256. */
    ECDSA_SHA_256(Family.ECDSA, "SHA-256", 32),
    /** ECDSA with SHA-384. */
    ECDSA_SHA_384(Family.ECDSA, "SHA-384", 48),
    /** ECDSA with SHA-512. */
    ECDSA_SHA_512(Family.ECDSA, "SHA-512", 64);

    /** The signature scheme; it decides which keys fit and whether digests are accepted. */
    public enum Family {
        /** RSASSA-PSS: RSA keys; the server takes only the message, never a digest. */
        RSA_PSS,
        /** RSASSA-PKCS1-v1_5: RSA keys. */
        RSA_PKCS1,
        /** ECDSA: EC keys. */
        ECDSA
    }

    private final Family family;
    private final String hash;
    private final int digestLength;

    SigningAlgorithm(Family family, String hash, int digestLength) {
        this.family = family;
        this.hash = hash;
        this.digestLength = digestLength;
    }

    /** {@return the signature scheme} */
    public Family family() {
        return family;
    }

    /** {@return the JDK {@code MessageDigest} name of the hash, for example {@code SHA-256}} */
    public String hashAlgorithm() {
        return hash;
    }

    /** {@return bytes of the digest, which is also the PSS salt length the server uses} */
    public int digestLength() {
        return digestLength;
    }

    /** {@return whether the server accepts a precomputed digest ({@code isDigest: true}); it refuses one for PSS} */
    public boolean acceptsDigest() {
        return family != Family.RSA_PSS;
    }

    /** {@return Infisical's name of the algorithm, for example {@code RSASSA_PSS_SHA_256}} */
    public String wireName() {
        return name();
    }

    /**
     * The algorithm of an Infisical name.
     *
     * @param name Infisical's name, exactly
     * @return the algorithm, or empty for a name unknown here
     */
    public static Optional<SigningAlgorithm> fromWire(String name) {
        for (SigningAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
