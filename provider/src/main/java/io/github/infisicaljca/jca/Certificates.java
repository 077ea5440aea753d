package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.SigningAlgorithm;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The KeyStore's certificates: self-signed, signed through the KMS by the key they certify. */
final class Certificates {
    /** Long enough for code signing; the key's real lifetime is governed in Infisical. */
    private static final long VALID_YEARS = 20;

    private Certificates() {
    }

    static X509Certificate selfSigned(PrivateKeyHandle key) {
        SigningAlgorithm algorithm = algorithmFor(key);
        Instant notBefore = key.metadata().createdAt() != null ? key.metadata().createdAt().truncatedTo(ChronoUnit.SECONDS)
                : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.atZone(java.time.ZoneOffset.UTC).plusYears(VALID_YEARS).toInstant();
        UUID id = UUID.fromString(key.keyId());
        BigInteger serial = new BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
        try {
            return SelfSignedCertificate.build(key.publicKey().jdkPublicKey(), key.keyName(), notBefore, notAfter,
                    serial.signum() == 0 ? BigInteger.ONE : serial, SignatureScheme.jdkName(algorithm),
                    tbs -> HandleSigning.sign(key, algorithm, tbs));
        } catch (GeneralSecurityException e) {
            throw new ProviderException("cannot make the self-signed certificate of key " + key.keyId() + " ("
                    + key.keyName() + "): " + e.getMessage(), e);
        }
    }

    /** The key id that {@link #selfSigned} puts in the serial number, or null for other certificates. */
    static String keyIdOf(java.security.cert.Certificate cert) {
        if (!(cert instanceof X509Certificate)) {
            return null;
        }
        BigInteger serial = ((X509Certificate) cert).getSerialNumber();
        if (serial.signum() <= 0 || serial.bitLength() > 128) {
            return null;
        }
        return new UUID(serial.shiftRight(64).longValue(), serial.longValue()).toString();
    }

    /** PKCS#1 v1.5 with SHA-256 for RSA; ECDSA with the hash that matches the curve for EC. */
    static SigningAlgorithm algorithmFor(PrivateKeyHandle key) {
        if (!(key instanceof ECKey)) {
            return SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256;
        }
        int bits = ((ECKey) key).getParams().getCurve().getField().getFieldSize();
        return bits > 384 ? SigningAlgorithm.ECDSA_SHA_512 : bits > 256 ? SigningAlgorithm.ECDSA_SHA_384
                : SigningAlgorithm.ECDSA_SHA_256;
    }
}
