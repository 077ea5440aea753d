package io.github.infisicaljca.kms;

import java.util.List;

/**
 * The narrow seam between the JCA services and Infisical: the key operations they need and
 * nothing else. {@link KmsClient} implements it over HTTP; tests may implement it in memory.
 * Every method either returns the server's answer or throws; none returns a partial result.
 */
public interface KmsOperations {

    /** Encrypts 1 to {@code maxPayloadBytes} bytes; the ciphertext is opaque. */
    byte[] encrypt(String keyId, byte[] plaintext) throws KmsException;

    byte[] decrypt(String keyId, byte[] ciphertext) throws KmsException;

    /**
     * Signs {@code data}: the message itself ({@code isDigest} false, at most
     * {@code maxPayloadBytes}) or its digest under the algorithm's hash (not for PSS).
     */
    byte[] sign(String keyId, SigningAlgorithm algorithm, byte[] data, boolean isDigest) throws KmsException;

    boolean verify(String keyId, SigningAlgorithm algorithm, byte[] data, boolean isDigest, byte[] signature)
            throws KmsException;

    /** The DER-encoded SubjectPublicKeyInfo of a sign-verify key. */
    byte[] publicKey(String keyId) throws KmsException;

    /** The signing algorithm names the server offers for the key (may include ones unknown here). */
    List<String> signingAlgorithms(String keyId) throws KmsException;

    byte[] generateMac(String keyId, byte[] data) throws KmsException;

    boolean verifyMac(String keyId, byte[] data, byte[] mac) throws KmsException;

    KmsKey getKey(String keyId) throws KmsException;

    KmsKey getKeyByName(String projectId, String name) throws KmsException;

    /** Every key of the project, all pages read. */
    List<KmsKey> listKeys(String projectId) throws KmsException;
}
