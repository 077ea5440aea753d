package io.github.infisicaljca.kms;

import java.util.List;

/**
 * The narrow seam between the JCA services and Infisical: the key operations they need and
 * nothing else. {@link KmsClient} implements it over HTTP; tests may implement it in memory.
 * Every method either returns the server's answer or throws; none returns a partial result.
 */
public interface KmsOperations {

    /**
     * Encrypts 1 to {@code maxPayloadBytes} bytes; the ciphertext is opaque.
     *
     * @param keyId an encrypt-decrypt key
     * @param plaintext the data
     * @return the ciphertext, for {@link #decrypt}
     * @throws KmsException when the call fails
     */
    byte[] encrypt(String keyId, byte[] plaintext) throws KmsException;

    /**
     * Decrypts what {@link #encrypt} returned.
     *
     * @param keyId the key that encrypted it
     * @param ciphertext the ciphertext
     * @return the plaintext
     * @throws KmsException when the call fails, a wrong key or a changed ciphertext included
     */
    byte[] decrypt(String keyId, byte[] ciphertext) throws KmsException;

    /**
     * Signs {@code data}: the message itself ({@code isDigest} false, at most
     * {@code maxPayloadBytes}) or its digest under the algorithm's hash (not for PSS).
     *
     * @param keyId a sign-verify key
     * @param algorithm the signing algorithm, one the key offers
     * @param data the message or its digest
     * @param isDigest whether {@code data} is a digest
     * @return the signature (DER for ECDSA)
     * @throws KmsException when the call fails
     */
    byte[] sign(String keyId, SigningAlgorithm algorithm, byte[] data, boolean isDigest) throws KmsException;

    /**
     * Verifies a signature on the server.
     *
     * @param keyId the sign-verify key
     * @param algorithm the signing algorithm
     * @param data the message or its digest
     * @param isDigest whether {@code data} is a digest
     * @param signature the signature to check
     * @return whether it is valid
     * @throws KmsException when the call fails (an invalid signature is {@code false}, not a failure)
     */
    boolean verify(String keyId, SigningAlgorithm algorithm, byte[] data, boolean isDigest, byte[] signature)
            throws KmsException;

    /**
     * Fetches a sign-verify key's public key.
     *
     * @param keyId the key
     * @return its DER-encoded SubjectPublicKeyInfo
     * @throws KmsException when the call fails
     */
    byte[] publicKey(String keyId) throws KmsException;

    /**
     * Lists the signing algorithms the server offers for a key.
     *
     * @param keyId the sign-verify key
     * @return Infisical's names (may include ones unknown here)
     * @throws KmsException when the call fails
     */
    List<String> signingAlgorithms(String keyId) throws KmsException;

    /**
     * Computes a MAC with an HMAC key.
     *
     * @param keyId the HMAC key
     * @param data the message
     * @return the MAC
     * @throws KmsException when the call fails
     */
    byte[] generateMac(String keyId, byte[] data) throws KmsException;

    /**
     * Checks a MAC on the server.
     *
     * @param keyId the HMAC key
     * @param data the message
     * @param mac the MAC to check
     * @return whether it is valid
     * @throws KmsException when the call fails
     */
    boolean verifyMac(String keyId, byte[] data, byte[] mac) throws KmsException;

    /**
     * Reads a key's metadata by id.
     *
     * @param keyId the key id (a UUID)
     * @return the key
     * @throws KmsException when the call fails, the key is unknown included
     */
    KmsKey getKey(String keyId) throws KmsException;

    /**
     * Reads a key's metadata by name.
     *
     * @param projectId the project
     * @param name the key's name in it
     * @return the key
     * @throws KmsException when the call fails, the key is unknown included
     */
    KmsKey getKeyByName(String projectId, String name) throws KmsException;

    /**
     * Lists a project's keys.
     *
     * @param projectId the project
     * @return every key of the project, all pages read
     * @throws KmsException when a call fails
     */
    List<KmsKey> listKeys(String projectId) throws KmsException;
}
