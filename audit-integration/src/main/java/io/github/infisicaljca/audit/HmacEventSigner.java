package io.github.infisicaljca.audit;

import io.github.infisicaljca.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The original's fallback: HMAC-SHA256 keyed with the UTF-8 bytes of {@code AUDIT_CRYPTO_SECRET}
 * over the hex hash, as lower-case hex, algorithm {@code HMAC-SHA256}. Through the JDK's {@code Mac}.
 */
public final class HmacEventSigner {
    private final SecretKeySpec key;
    /** A keyed Mac per thread: looking one up and keying it cost more than the MAC of a 64-byte hash. */
    private final ThreadLocal<Mac> perThread = ThreadLocal.withInitial(this::newMac);

    private HmacEventSigner(Secret secret) {
        this.key = new SecretKeySpec(Utf8.encode(secret.reveal()), "HmacSHA256");
    }

    /**
     * A signer keyed with the UTF-8 bytes of the secret.
     *
     * @param secret the audit secret
     * @return the signer
     */
    public static HmacEventSigner of(Secret secret) {
        return new HmacEventSigner(secret);
    }

    /**
     * Signs an event hash.
     *
     * @param hash the event's hash
     * @return the MAC in lower-case hex, with {@link EventSignature#HMAC_SHA256}
     */
    public EventSignature sign(String hash) {
        return new EventSignature(HexFormat.of().formatHex(mac(hash)), EventSignature.HMAC_SHA256);
    }

    /**
     * Constant-time comparison of the expected and given hex (case-sensitive, as the original writes lower case).
     *
     * @param hash the event's hash
     * @param signatureHex the signature to check
     * @return whether it is valid
     */
    public boolean verify(String hash, String signatureHex) {
        if (signatureHex == null) {
            return false;
        }
        return MessageDigest.isEqual(HexFormat.of().formatHex(mac(hash)).getBytes(StandardCharsets.US_ASCII),
                signatureHex.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(String hash) {
        return perThread.get().doFinal(Utf8.encode(hash)); // doFinal leaves the Mac keyed and reset
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "HmacEventSigner{secret=" + Secret.MASK + "}";
    }
}
