package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.SigningAlgorithm;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.SignatureException;

/**
 * Collects the message to sign. Up to the payload limit the bytes are kept, to be sent raw
 * (the server's fast in-process path); past it they are hashed while streaming, in constant
 * memory, and the digest is sent. PSS cannot take a digest, so a PSS message past the limit is
 * refused as soon as it passes it.
 */
final class MessageAccumulator {
    /** What to send: the message itself, or its digest. */
    record Payload(byte[] data, boolean isDigest) {
    }

    private final SigningAlgorithm algorithm;
    private final int limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private MessageDigest digest;

    MessageAccumulator(SigningAlgorithm algorithm, int limit) {
        this.algorithm = algorithm;
        this.limit = limit;
    }

    void update(byte[] b, int off, int len) throws SignatureException {
        if (digest != null) {
            digest.update(b, off, len);
            return;
        }
        if (buffer.size() + len <= limit) {
            buffer.write(b, off, len);
            return;
        }
        if (!algorithm.acceptsDigest()) {
            reset();
            throw new SignatureException(algorithm + ": the message is longer than infisical.maxPayloadBytes (" + limit
                    + " bytes), and Infisical refuses RSA-PSS over a precomputed digest, so it cannot be signed; "
                    + "use PKCS#1 v1.5 or ECDSA for long messages, or raise infisical.maxPayloadBytes on servers "
                    + "that accept larger payloads");
        }
        digest = newDigest();
        digest.update(buffer.toByteArray());
        buffer.reset();
        digest.update(b, off, len);
    }

    /** The payload, and a fresh start for the next message. */
    Payload finish() throws SignatureException {
        try {
            if (digest != null) {
                return new Payload(digest.digest(), true);
            }
            if (buffer.size() == 0) {
                // The server refuses empty data; an empty message is signed as the digest of nothing.
                if (!algorithm.acceptsDigest()) {
                    throw new SignatureException(algorithm + ": cannot sign an empty message: Infisical refuses empty "
                            + "data, and RSA-PSS cannot be signed over a digest");
                }
                return new Payload(newDigest().digest(), true);
            }
            return new Payload(buffer.toByteArray(), false);
        } finally {
            reset();
        }
    }

    void reset() {
        buffer.reset();
        digest = null;
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm.hashAlgorithm());
        } catch (NoSuchAlgorithmException e) {
            throw new ProviderException("the JDK has no " + algorithm.hashAlgorithm(), e);
        }
    }
}
