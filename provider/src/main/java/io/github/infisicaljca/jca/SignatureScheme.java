package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;

/**
 * The algorithm table: each JCA Signature name the provider registers, its aliases, and the
 * Infisical signing algorithm it means. {@code RSASSA-PSS} has no fixed algorithm: its
 * {@link PSSParameterSpec} picks one (and only the parameters Infisical produces are accepted).
 */
enum SignatureScheme {
    INFISICAL_RSA("INFISICAL-RSA", SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256, false),
    INFISICAL_RSA_PSS("INFISICAL-RSA-PSS", SigningAlgorithm.RSASSA_PSS_SHA_256, false),
    INFISICAL_ECDSA("INFISICAL-ECDSA", SigningAlgorithm.ECDSA_SHA_256, false),
    SHA256_RSA("SHA256withRSA", SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256, true),
    SHA384_RSA("SHA384withRSA", SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384, true),
    SHA512_RSA("SHA512withRSA", SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512, true),
    SHA256_ECDSA("SHA256withECDSA", SigningAlgorithm.ECDSA_SHA_256, true),
    SHA384_ECDSA("SHA384withECDSA", SigningAlgorithm.ECDSA_SHA_384, true),
    SHA512_ECDSA("SHA512withECDSA", SigningAlgorithm.ECDSA_SHA_512, true),
    SHA256_RSA_PSS("SHA256withRSA/PSS", SigningAlgorithm.RSASSA_PSS_SHA_256, true),
    SHA384_RSA_PSS("SHA384withRSA/PSS", SigningAlgorithm.RSASSA_PSS_SHA_384, true),
    SHA512_RSA_PSS("SHA512withRSA/PSS", SigningAlgorithm.RSASSA_PSS_SHA_512, true),
    RSASSA_PSS("RSASSA-PSS", null, true);

    final String jcaName;
    /** Null only for RSASSA-PSS, whose parameters choose. */
    final SigningAlgorithm algorithm;
    /**
     * Standard names accept only Infisical handles (declared as SupportedKeyClasses) so that,
     * with this provider first, ordinary keys still go to the JDK's providers.
     */
    final boolean standardName;

    SignatureScheme(String jcaName, SigningAlgorithm algorithm, boolean standardName) {
        this.jcaName = jcaName;
        this.algorithm = algorithm;
        this.standardName = standardName;
    }

    /**
     * Each Infisical algorithm string is an alias of the standard name that means it. The PSS
     * names also answer to BouncyCastle's {@code SHA256WITHRSAANDMGF1} style, the name BC's
     * {@code JcaContentSignerBuilder} asks the provider for (see docs/drop-in.md).
     */
    List<String> aliases() {
        if (!standardName || algorithm == null) {
            return List.of();
        }
        if (algorithm.family() == SigningAlgorithm.Family.RSA_PSS) {
            return List.of(algorithm.wireName(), jcaName.replace("withRSA/PSS", "WITHRSAANDMGF1"));
        }
        return List.of(algorithm.wireName());
    }

    static boolean isRsa(SigningAlgorithm a) {
        return a.family() != SigningAlgorithm.Family.ECDSA;
    }

    /** The standard-name scheme fixed to {@code a}, for example SHA256withRSA for RSASSA_PKCS1_V1_5_SHA_256. */
    static SignatureScheme standard(SigningAlgorithm a) {
        for (SignatureScheme s : values()) {
            if (s.standardName && s.algorithm == a) {
                return s;
            }
        }
        throw new IllegalArgumentException("no standard signature name for " + a);
    }

    /** The JDK name and parameters that verify the same signatures locally. */
    static String jdkName(SigningAlgorithm a) {
        if (a.family() == SigningAlgorithm.Family.RSA_PSS) {
            return "RSASSA-PSS";
        }
        String h = a.hashAlgorithm().replace("-", "");
        return h + (a.family() == SigningAlgorithm.Family.ECDSA ? "withECDSA" : "withRSA");
    }

    /** The only PSS parameters Infisical produces: MGF1 with the same hash, salt = digest length. */
    static PSSParameterSpec pssSpec(SigningAlgorithm a) {
        return new PSSParameterSpec(a.hashAlgorithm(), "MGF1", new MGF1ParameterSpec(a.hashAlgorithm()),
                a.digestLength(), PSSParameterSpec.TRAILER_FIELD_BC);
    }
}
