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
    private final String verb;
    /** Set when a PSS message passed the limit: the message is lost, so nothing more is taken until it ends. */
    private boolean refused;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private MessageDigest digest;

    /** @param verb "sign" or "verify", for messages */
    MessageAccumulator(SigningAlgorithm algorithm, int limit, String verb) {
        this.algorithm = algorithm;
        this.limit = limit;
        this.verb = verb;
    }

    void update(byte[] b, int off, int len) throws SignatureException {
        if (refused) {
            throw new SignatureException(algorithm + ": this message was already refused as too long for PSS; "
                    + "call " + verb + "() or init again to start a new one");
        }
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
            refused = true;
            throw new SignatureException(algorithm + ": the message is longer than infisical.maxPayloadBytes (" + limit
                    + " bytes), and Infisical refuses RSA-PSS over a precomputed digest, so it cannot " + verb + " it; "
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
            if (refused) {
                throw new SignatureException(algorithm + ": the message was refused as too long for PSS; nothing to "
                        + verb);
            }
            if (digest != null) {
                return new Payload(digest.digest(), true);
            }
            if (buffer.size() == 0) {
                // The server refuses empty data; an empty message is signed as the digest of nothing.
                if (!algorithm.acceptsDigest()) {
                    throw new SignatureException(algorithm + ": Infisical cannot " + verb + " an empty message: it "
                            + "refuses empty data, and RSA-PSS cannot be sent as a digest");
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
        refused = false;
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm.hashAlgorithm());
        } catch (NoSuchAlgorithmException e) {
            throw new ProviderException("the JDK has no " + algorithm.hashAlgorithm(), e);
        }
    }
}
