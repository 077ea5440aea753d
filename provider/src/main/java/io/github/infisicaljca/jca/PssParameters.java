package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.InvalidAlgorithmParameterException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;

/** Which PSS parameters Infisical can produce, and the signing algorithm each means. */
final class PssParameters {
    private PssParameters() {
    }

    /**
     * @return the algorithm the parameters select, or {@code null} to keep the current one
     *         (a non-PSS scheme given null parameters)
     */
    static SigningAlgorithm choose(SignatureScheme scheme, AlgorithmParameterSpec params)
            throws InvalidAlgorithmParameterException {
        boolean pss = scheme.algorithm == null || scheme.algorithm.family() == SigningAlgorithm.Family.RSA_PSS;
        if (!pss) {
            if (params == null) {
                return null;
            }
            throw new InvalidAlgorithmParameterException(scheme.jcaName + " takes no parameters");
        }
        if (!(params instanceof PSSParameterSpec)) {
            throw new InvalidAlgorithmParameterException(scheme.jcaName + " needs a PSSParameterSpec, not "
                    + (params == null ? "null" : params.getClass().getName()));
        }
        PSSParameterSpec p = (PSSParameterSpec) params;
        SigningAlgorithm chosen = forHash(p.getDigestAlgorithm());
        boolean mgfOk = chosen != null && "MGF1".equalsIgnoreCase(p.getMGFAlgorithm())
                && p.getMGFParameters() instanceof MGF1ParameterSpec
                && chosen == forHash(((MGF1ParameterSpec) p.getMGFParameters()).getDigestAlgorithm());
        if (!mgfOk || p.getSaltLength() != chosen.digestLength() || p.getTrailerField() != PSSParameterSpec.TRAILER_FIELD_BC) {
            throw new InvalidAlgorithmParameterException(scheme.jcaName + ": Infisical signs RSASSA-PSS only with "
                    + "SHA-256, SHA-384 or SHA-512, MGF1 with the same hash, a salt as long as the digest (32, 48 or 64 "
                    + "bytes) and trailer field 1; got " + describe(p));
        }
        if (scheme.algorithm != null && chosen != scheme.algorithm) {
            throw new InvalidAlgorithmParameterException(scheme.jcaName + " is fixed to " + scheme.algorithm
                    + "; got parameters for " + chosen);
        }
        return chosen;
    }

    private static SigningAlgorithm forHash(String hash) {
        switch (hash.toUpperCase(Locale.ROOT).replace("-", "")) {
            case "SHA256":
                return SigningAlgorithm.RSASSA_PSS_SHA_256;
            case "SHA384":
                return SigningAlgorithm.RSASSA_PSS_SHA_384;
            case "SHA512":
                return SigningAlgorithm.RSASSA_PSS_SHA_512;
            default:
                return null;
        }
    }

    private static String describe(PSSParameterSpec p) {
        String mgfHash = p.getMGFParameters() instanceof MGF1ParameterSpec
                ? ((MGF1ParameterSpec) p.getMGFParameters()).getDigestAlgorithm() : String.valueOf(p.getMGFParameters());
        return p.getDigestAlgorithm() + ", " + p.getMGFAlgorithm() + "(" + mgfHash + "), salt " + p.getSaltLength()
                + ", trailer " + p.getTrailerField();
    }
}
