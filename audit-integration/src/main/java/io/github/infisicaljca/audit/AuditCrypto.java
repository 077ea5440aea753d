package io.github.infisicaljca.audit;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The port of the smart-logs audit {@code CryptoService}: event hashes, signatures by the KMS
 * or, under an explicit {@link FallbackPolicy}, by a local HMAC-SHA256, sealing and
 * verification. Verifiers accept only the algorithms they are given, so an HMAC-signed event
 * is refused where KMS signatures are required (no downgrade). Thread-safe.
 */
public final class AuditCrypto {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.audit");

    private final KmsEventSigner kms;
    private final HmacEventSigner hmac;
    private final FallbackPolicy policy;
    private final Set<String> accepted;
    private final EventEncryption encryption;

    private AuditCrypto(Builder b, Set<String> accepted) {
        this.kms = b.kms;
        this.hmac = b.hmac;
        this.policy = b.policy;
        this.accepted = Set.copyOf(accepted);
        this.encryption = b.encryption;
    }

    /** {@return a builder: give it a KMS signer, an HMAC signer or both, and a policy} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The smart-logs hash of an event.
     *
     * @param event the event
     * @return SHA-256 of its canonical string, 64 lower-case hex digits
     */
    public String generateHash(AuditEvent event) {
        return EventHasher.generateHash(event);
    }

    /**
     * Recomputes an event's hash and compares it in constant time.
     *
     * @param event the event
     * @param expectedHash the hash it should have
     * @return whether they are equal
     */
    public boolean verifyHash(AuditEvent event, String expectedHash) {
        return EventHasher.verifyHash(event, expectedHash);
    }

    /**
     * Signs a hash with the KMS, or the HMAC where the policy allows.
     *
     * @param hash the event's hash
     * @return the signature and its algorithm
     * @throws AuditCryptoException when neither signer may or can sign
     */
    public EventSignature generateEventSignature(String hash) throws AuditCryptoException {
        if (kms == null) {
            if (policy == FallbackPolicy.KMS_ONLY) {
                throw new AuditCryptoException("the fallback policy is KMS_ONLY and no KMS signing key is configured",
                        null, false);
            }
            return hmac.sign(hash);
        }
        try {
            return kms.sign(hash);
        } catch (AuditCryptoException e) {
            if (policy == FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE && e.kmsUnavailable()) {
                LOG.log(Level.WARNING, "the KMS is unavailable; signing this audit event with HMAC-SHA256 under the "
                        + "HMAC_WHEN_KMS_UNAVAILABLE policy: {0}", e.getMessage());
                return hmac.sign(hash);
            }
            throw e;
        }
    }

    /**
     * Checks a signature over a hash, refusing algorithms this verifier does not accept.
     *
     * @param hash the event's hash
     * @param signature the signature and its algorithm
     * @return valid, or failed with the reason
     * @throws AuditCryptoException when the signature cannot be checked (the KMS is unreachable, say)
     */
    public Verification verifyEventSignature(String hash, EventSignature signature) throws AuditCryptoException {
        if (!accepted.contains(signature.algorithm())) {
            return Verification.failed("algorithm " + signature.algorithm() + " is not accepted here (accepted: "
                    + String.join(", ", accepted) + ")");
        }
        if (signature.isHmac()) {
            if (hmac == null) {
                return Verification.failed("HMAC-SHA256 signature, but no AUDIT_CRYPTO_SECRET is configured to check it");
            }
            return hmac.verify(hash, signature.signature()) ? Verification.OK
                    : Verification.failed("the HMAC-SHA256 signature does not match");
        }
        if (kms == null) {
            return Verification.failed(signature.algorithm() + " signature, but no KMS signing key is configured");
        }
        String encoding = StrictBase64.problem(signature.signature());
        if (encoding != null) {
            return Verification.failed("the " + signature.algorithm() + " signature is not " + StrictBase64.FORM
                    + " (the only form Infisical returns): " + encoding);
        }
        return kms.verify(hash, signature.signature(), signature.algorithm()) ? Verification.OK
                : Verification.failed("the " + signature.algorithm() + " signature does not verify with key " + kms.keyId());
    }

    /**
     * Hashes and signs an event.
     *
     * @param event the event
     * @return the event with hash, hashAlgorithm, signature and algorithm set; every other field unchanged
     * @throws AuditCryptoException when it cannot be signed
     */
    public AuditEvent seal(AuditEvent event) throws AuditCryptoException {
        String hash = generateHash(event);
        EventSignature s = generateEventSignature(hash);
        return event.withSeal(hash, s.signature(), s.algorithm());
    }

    /**
     * Recomputes the hash (constant-time compare) and checks the signature.
     *
     * @param event a sealed event
     * @return valid, or failed with the reason
     * @throws AuditCryptoException when the signature cannot be checked (the KMS is unreachable, say)
     */
    public Verification verify(AuditEvent event) throws AuditCryptoException {
        try {
            return verifyFields(event);
        } catch (IllegalArgumentException e) {
            // A field of the wrong type or a missing required field: the event is not valid, not an error.
            return Verification.failed(e.getMessage());
        }
    }

    private Verification verifyFields(AuditEvent event) throws AuditCryptoException {
        String hash = event.text(AuditEvent.HASH);
        String signature = event.text(AuditEvent.SIGNATURE);
        String algorithm = event.text(AuditEvent.ALGORITHM);
        if (hash == null || signature == null || algorithm == null) {
            return Verification.failed("the event is not sealed (hash, signature or algorithm missing)");
        }
        String hashAlgorithm = event.text(AuditEvent.HASH_ALGORITHM);
        if (hashAlgorithm != null && !EventHasher.HASH_ALGORITHM.equals(hashAlgorithm)) {
            return Verification.failed("unsupported hashAlgorithm " + hashAlgorithm);
        }
        if (!verifyHash(event, hash)) {
            return Verification.failed("the hash does not match the event's fields: the event was altered");
        }
        return verifyEventSignature(hash, new EventSignature(signature, algorithm));
    }

    /** {@return the event payload encryption ({@code enableLogEncryption}), when configured} */
    public EventEncryption encryption() {
        if (encryption == null) {
            throw new IllegalStateException("log encryption is not configured (no KMS encryption key)");
        }
        return encryption;
    }

    /** {@return when signing may fall back to HMAC} */
    public FallbackPolicy policy() {
        return policy;
    }

    /** {@return the signature algorithms {@link #verify} accepts} */
    public Set<String> acceptedAlgorithms() {
        return accepted;
    }

    @Override
    public String toString() {
        return "AuditCrypto{policy=" + policy + ", kms=" + kms + ", hmac=" + (hmac == null ? "none" : "***MASKED***")
                + ", accepted=" + accepted + "}";
    }

    /** {@link #build()} checks that the policy can be honoured. */
    public static final class Builder {
        private KmsEventSigner kms;
        private HmacEventSigner hmac;
        private FallbackPolicy policy = FallbackPolicy.KMS_ONLY;
        private final Set<String> accepted = new LinkedHashSet<>();
        private EventEncryption encryption;

        private Builder() {
        }

        /**
         * Signs with this KMS key.
         *
         * @param kms the KMS signer
         * @return this builder
         */
        public Builder kms(KmsEventSigner kms) {
            this.kms = kms;
            return this;
        }

        /**
         * Signs with this HMAC secret where the policy allows.
         *
         * @param hmac the HMAC signer
         * @return this builder
         */
        public Builder hmac(HmacEventSigner hmac) {
            this.hmac = hmac;
            return this;
        }

        /**
         * When to fall back to HMAC; default {@link FallbackPolicy#KMS_ONLY}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder policy(FallbackPolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * The algorithms {@link #verify} accepts. Default: the KMS algorithm when a KMS signer is
         * set, plus HMAC-SHA256 only when the policy may produce HMAC signatures.
         *
         * @param algorithms the accepted algorithm names
         * @return this builder
         */
        public Builder acceptedAlgorithms(Set<String> algorithms) {
            accepted.clear();
            accepted.addAll(algorithms);
            return this;
        }

        /**
         * Encrypts event payloads ({@code enableLogEncryption}).
         *
         * @param encryption the payload encryption
         * @return this builder
         */
        public Builder encryption(EventEncryption encryption) {
            this.encryption = encryption;
            return this;
        }

        /**
         * Checks that the policy can be honoured with the signers given.
         *
         * @return the service
         * @throws IllegalStateException when it cannot
         */
        public AuditCrypto build() {
            if (kms == null && hmac == null) {
                throw new IllegalArgumentException("an AuditCrypto needs a KMS signer, an HMAC secret, or both");
            }
            if (policy == FallbackPolicy.KMS_ONLY && kms == null) {
                throw new IllegalArgumentException("policy KMS_ONLY needs a KMS signer");
            }
            if (policy != FallbackPolicy.KMS_ONLY && hmac == null) {
                throw new IllegalArgumentException("policy " + policy + " needs an HMAC secret (AUDIT_CRYPTO_SECRET) "
                        + "to fall back to");
            }
            // The defaults go into a copy: the builder may be changed and built again.
            Set<String> chosen = new LinkedHashSet<>(accepted);
            if (chosen.isEmpty()) {
                if (kms != null) {
                    chosen.add(kms.algorithm());
                }
                if (policy != FallbackPolicy.KMS_ONLY) {
                    chosen.add(EventSignature.HMAC_SHA256);
                }
            }
            return new AuditCrypto(this, chosen);
        }
    }
}
