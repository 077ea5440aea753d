package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;

/**
 * Local verification with the JDK's own providers, never this one (which would recurse into
 * itself with an ordinary public key).
 */
final class JdkSignatures {
    private JdkSignatures() {
    }

    static Signature verifier(SigningAlgorithm algorithm, PublicKey key) throws InvalidKeyException {
        String name = SignatureScheme.jdkName(algorithm);
        GeneralSecurityException last = null;
        Provider[] providers = Security.getProviders("Signature." + name);
        for (Provider p : providers == null ? new Provider[0] : providers) {
            if (ProviderServices.PROVIDER_NAME.equals(p.getName())) {
                continue;
            }
            try {
                Signature s = Signature.getInstance(name, p);
                s.initVerify(key);
                if (algorithm.family() == SigningAlgorithm.Family.RSA_PSS) {
                    s.setParameter(SignatureScheme.pssSpec(algorithm));
                }
                return s;
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        InvalidKeyException e = new InvalidKeyException("no installed provider other than Infisical can verify "
                + name + " with a " + key.getAlgorithm() + " public key");
        if (last != null) {
            e.initCause(last);
        }
        throw e;
    }
}
