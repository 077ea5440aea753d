package io.github.infisicaljca.jca;

import io.github.infisicaljca.der.Der;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a self-signed X.509 v3 certificate for a key whose private half we cannot touch: the
 * TBSCertificate is handed to a {@link ContentSigner} (the KMS), and the result is checked
 * against the public key before anyone gets to see it. The certificate marks an end-entity
 * signing key: basicConstraints cA FALSE, keyUsage digitalSignature, and a subjectKeyIdentifier.
 */
public final class SelfSignedCertificate {
    /** Signs the DER TBSCertificate bytes with the key whose public half is in the certificate. */
    @FunctionalInterface
    public interface ContentSigner {
        /**
         * Signs the certificate body.
         *
         * @param tbsCertificate the DER TBSCertificate
         * @return the signature (DER for ECDSA)
         * @throws GeneralSecurityException when signing fails
         */
        byte[] sign(byte[] tbsCertificate) throws GeneralSecurityException;
    }

    /** RFC 5280 4.1.2.4: ub-common-name. */
    private static final int MAX_COMMON_NAME = 64;
    /** RFC 5280 4.1.2.2: serial numbers of at most 20 octets. */
    private static final int MAX_SERIAL_BYTES = 20;
    private static final Set<String> EC_KEY_NAMES = Set.of("EC", "ECDSA");

    private SelfSignedCertificate() {
    }

    /**
     * Builds and signs the certificate, then parses and verifies it with the JDK.
     *
     * @param publicKey the subject's public key, whose private half {@code signer} uses
     * @param commonName the subject and issuer CN, 1 to 64 characters, not blank
     * @param notBefore start of validity; fractions of a second are dropped, as DER times have none
     * @param notAfter end of validity, after {@code notBefore} once both are in whole seconds
     * @param serialNumber positive, at most 20 octets in its DER form
     * @param signatureAlgorithm a JCA name: SHA256withRSA, SHA384withRSA, SHA512withRSA,
     *     SHA256withECDSA, SHA384withECDSA or SHA512withECDSA
     * @param signer produces the signature; ECDSA signatures are expected in their ASN.1 DER form
     * @return the parsed, verified certificate
     * @throws NoSuchAlgorithmException for any other signature algorithm
     * @throws InvalidKeyException if the key does not fit the algorithm or has no X.509 encoding
     * @throws SignatureException if the signer's signature does not verify with {@code publicKey}
     * @throws IllegalArgumentException for a bad name, serial number or validity
     */
    public static X509Certificate build(PublicKey publicKey, String commonName, Instant notBefore, Instant notAfter,
            BigInteger serialNumber, String signatureAlgorithm, ContentSigner signer) throws GeneralSecurityException {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        Objects.requireNonNull(signer, "signer");

        byte[] algorithmIdentifier = algorithmIdentifier(signatureAlgorithm, publicKey);
        byte[] spki = publicKey.getEncoded();
        if (!"X.509".equals(publicKey.getFormat()) || spki == null) {
            throw new InvalidKeyException("the public key has no X.509 (SubjectPublicKeyInfo) encoding");
        }
        byte[] name = name(commonName);
        checkSerial(serialNumber);
        Instant start = notBefore.truncatedTo(ChronoUnit.SECONDS);
        Instant end = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("notAfter (" + notAfter + ") must be after notBefore (" + notBefore
                    + ") in whole seconds");
        }

        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)), // v3
                Der.integer(serialNumber),
                algorithmIdentifier,
                name,
                Der.sequence(Der.time(start), Der.time(end)),
                name,
                spki,
                Der.explicit(3, extensions(spki)));
        byte[] signature = signer.sign(tbs.clone());
        if (signature == null || signature.length == 0) {
            throw new SignatureException("the signer returned no signature for " + signatureAlgorithm);
        }
        byte[] encoded = Der.sequence(tbs, algorithmIdentifier, Der.bitString(signature));

        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));
        try {
            // The JDK's own reading of the embedded SPKI, so this checks exactly what relying
            // parties will check, whatever class publicKey happens to be.
            certificate.verify(certificate.getPublicKey());
        } catch (SignatureException e) {
            throw new SignatureException("the signer's " + signatureAlgorithm
                    + " signature does not verify with the certificate's public key: " + e.getMessage(), e);
        }
        return certificate;
    }

    private static byte[] algorithmIdentifier(String signatureAlgorithm, PublicKey key)
            throws NoSuchAlgorithmException, InvalidKeyException {
        SigningAlgorithm algorithm;
        switch (signatureAlgorithm) {
            case "SHA256withRSA" -> algorithm = SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256;
            case "SHA384withRSA" -> algorithm = SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384;
            case "SHA512withRSA" -> algorithm = SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512;
            case "SHA256withECDSA" -> algorithm = SigningAlgorithm.ECDSA_SHA_256;
            case "SHA384withECDSA" -> algorithm = SigningAlgorithm.ECDSA_SHA_384;
            case "SHA512withECDSA" -> algorithm = SigningAlgorithm.ECDSA_SHA_512;
            default -> throw new NoSuchAlgorithmException("unsupported certificate signature algorithm '"
                    + signatureAlgorithm + "'");
        }
        boolean rsa = SignatureScheme.isRsa(algorithm);
        boolean fits = rsa ? "RSA".equals(key.getAlgorithm()) : EC_KEY_NAMES.contains(key.getAlgorithm());
        if (!fits) {
            throw new InvalidKeyException(signatureAlgorithm + " needs " + (rsa ? "an RSA" : "an EC")
                    + " key, not " + key.getAlgorithm());
        }
        return AlgorithmIdentifiers.signature(algorithm);
    }

    /** A Name with one RDN holding the CN, used as both issuer and subject. */
    private static byte[] name(String commonName) {
        int length = commonName.codePointCount(0, commonName.length());
        if (commonName.isBlank() || length > MAX_COMMON_NAME) {
            throw new IllegalArgumentException("the common name must be 1 to " + MAX_COMMON_NAME
                    + " characters and not blank, got " + length + ": '" + commonName + "'");
        }
        byte[] cn = Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName));
        return Der.sequence(Der.setOf(cn));
    }

    private static void checkSerial(BigInteger serial) {
        if (serial.signum() <= 0) {
            throw new IllegalArgumentException("the serial number must be positive, got " + serial);
        }
        int octets = serial.toByteArray().length;
        if (octets > MAX_SERIAL_BYTES) {
            throw new IllegalArgumentException("the serial number takes " + octets + " octets, at most "
                    + MAX_SERIAL_BYTES + " are allowed");
        }
    }

    private static byte[] extensions(byte[] spki) throws InvalidKeyException {
        return Der.sequence(
                extension("2.5.29.19", true, Der.sequence()), // basicConstraints: cA FALSE is the default, so omitted
                extension("2.5.29.15", true, Der.bitString(new byte[] {(byte) 0x80}, 7)), // keyUsage: digitalSignature
                extension("2.5.29.14", false, Der.octetString(keyIdentifier(spki)))); // subjectKeyIdentifier
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        // critical is DEFAULT FALSE, and DER leaves out a value equal to its default.
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits, without tag, length or unused-bits byte. */
    private static byte[] keyIdentifier(byte[] spki) throws InvalidKeyException {
        try {
            Der.Element outer = Der.Element.read(spki, 0);
            Der.Element algorithm = Der.Element.read(spki, outer.start());
            Der.Element key = Der.Element.read(spki, algorithm.end());
            if (outer.tag() != 0x30 || outer.end() != spki.length || algorithm.tag() != 0x30 || key.tag() != 0x03
                    || key.end() != outer.end() || key.length() < 1 || spki[key.start()] != 0) {
                throw new InvalidKeyException("the public key's encoding is not a SubjectPublicKeyInfo");
            }
            byte[] bits = Arrays.copyOfRange(spki, key.start() + 1, key.end());
            return MessageDigest.getInstance("SHA-1").digest(bits);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("the public key's encoding is not valid DER: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
