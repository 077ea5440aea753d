package io.github.infisicaljca.jca;

import io.github.infisicaljca.der.Der;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;

/**
 * The DER AlgorithmIdentifier of each Infisical signing algorithm, as certificates and
 * certification requests carry it. Public for the provider's other packages only: this package
 * is not exported.
 */
public final class AlgorithmIdentifiers {
    private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";

    private AlgorithmIdentifiers() {
    }

    /**
     * The signature AlgorithmIdentifier of {@code algorithm}.
     *
     * @param algorithm the Infisical signing algorithm
     * @return the DER AlgorithmIdentifier
     */
    public static byte[] signature(SigningAlgorithm algorithm) {
        switch (algorithm) {
            // RFC 4055 2.1 wants a NULL parameter for the PKCS#1 algorithms; RFC 5758 3.2 wants
            // ECDSA parameters absent. Verifiers differ in how forgiving they are about either.
            case RSASSA_PKCS1_V1_5_SHA_256: return Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nul());
            case RSASSA_PKCS1_V1_5_SHA_384: return Der.sequence(Der.oid("1.2.840.113549.1.1.12"), Der.nul());
            case RSASSA_PKCS1_V1_5_SHA_512: return Der.sequence(Der.oid("1.2.840.113549.1.1.13"), Der.nul());
            case ECDSA_SHA_256: return Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
            case ECDSA_SHA_384: return Der.sequence(Der.oid("1.2.840.10045.4.3.3"));
            case ECDSA_SHA_512: return Der.sequence(Der.oid("1.2.840.10045.4.3.4"));
            case RSASSA_PSS_SHA_256:
            case RSASSA_PSS_SHA_384:
            case RSASSA_PSS_SHA_512:
                return Der.sequence(Der.oid(RSASSA_PSS), pssParameters(algorithm));
            default:
                throw new IllegalArgumentException("no AlgorithmIdentifier for " + algorithm);
        }
    }

    /**
     * RFC 4055 RSASSA-PSS-params (hash, MGF1 with the same hash, salt as long as the digest,
     * trailer 1) in the JDK's own encoding, which is the one its verifiers read back.
     */
    private static byte[] pssParameters(SigningAlgorithm algorithm) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("RSASSA-PSS");
            p.init(SignatureScheme.pssSpec(algorithm));
            return p.getEncoded();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK cannot encode the RSASSA-PSS parameters of " + algorithm, e);
        }
    }
}
