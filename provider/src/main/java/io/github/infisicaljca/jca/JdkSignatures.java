package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;

/**
 * The JDK's own providers, never this one (which would recurse into itself with an ordinary
 * key): local verification, and the engines that do the work for ordinary keys.
 */
final class JdkSignatures {
    private JdkSignatures() {
    }

    static Signature verifier(SigningAlgorithm algorithm, PublicKey key) throws InvalidKeyException {
        return initialised(SignatureScheme.jdkName(algorithm),
                algorithm.family() == SigningAlgorithm.Family.RSA_PSS ? SignatureScheme.pssSpec(algorithm) : null,
                key, null);
    }

    /**
     * A JDK engine for {@code name}, given {@code params} (when not null) and initialised with
     * {@code key}: for verification when it is a public key, else for signing with {@code random}.
     * The first provider, in preference order, that takes both wins.
     */
    static Signature initialised(String name, AlgorithmParameterSpec params, Key key, SecureRandom random)
            throws InvalidKeyException {
        GeneralSecurityException last = null;
        Provider[] providers = Security.getProviders("Signature." + name);
        for (Provider p : providers == null ? new Provider[0] : providers) {
            if (ProviderServices.PROVIDER_NAME.equals(p.getName())) {
                continue;
            }
            try {
                Signature s = Signature.getInstance(name, p);
                // Parameters first, as SignatureSpi's own initSign(key, params, random) does:
                // some engines check the key against them.
                if (params != null) {
                    s.setParameter(params);
                }
                if (key instanceof PublicKey) {
                    s.initVerify((PublicKey) key);
                } else if (random != null) {
                    s.initSign((PrivateKey) key, random);
                } else {
                    s.initSign((PrivateKey) key);
                }
                return s;
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        InvalidKeyException e = new InvalidKeyException("no installed provider other than Infisical can "
                + (key instanceof PublicKey ? "verify " : "sign ") + name + " with a " + key.getAlgorithm() + " "
                + (key instanceof PublicKey ? "public" : "private") + " key" + (params == null ? "" : " and " + params));
        if (last != null) {
            e.initCause(last);
        }
        throw e;
    }
}
