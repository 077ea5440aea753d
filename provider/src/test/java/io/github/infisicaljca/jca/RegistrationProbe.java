package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalPrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;

/**
 * Run in a child JVM by {@link ProviderRegistrationTest}: it registers nothing itself, so the
 * Infisical provider it uses must come from {@code security.provider.N} in the security
 * properties. Prints {@code OK <keystore provider> <signature provider> <position>} and exits 0,
 * or throws (exit 1). With the argument {@code misconfigured} it expects the provider registered
 * with a bad configuration: it prints {@code MISCONFIGURED <provider> <position> <the failure>}.
 */
public final class RegistrationProbe {
    private RegistrationProbe() {
    }

    public static void main(String[] args) throws Exception {
        Provider[] providers = Security.getProviders();
        int position = 0;
        for (int i = 0; i < providers.length; i++) {
            if (providers[i].getName().equals("Infisical")) {
                position = i + 1;
            }
        }
        if (position == 0) {
            throw new IllegalStateException("no provider named Infisical is registered");
        }
        KeyStore ks = KeyStore.getInstance("INFISICAL");
        if (args.length > 0 && args[0].equals("misconfigured")) {
            try {
                ks.load(null, null);
            } catch (java.io.IOException expected) {
                System.out.println("MISCONFIGURED " + ks.getProvider().getName() + " " + position + " "
                        + expected.getMessage());
                return;
            }
            throw new IllegalStateException("a misconfigured provider loaded its KeyStore");
        }
        ks.load(null, null);
        Key key = ks.getKey("signing-key", null);
        if (!(key instanceof InfisicalPrivateKey)) {
            throw new IllegalStateException("signing-key is not an Infisical private-key handle: " + key);
        }
        byte[] message = "registered through java.security".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign((InfisicalPrivateKey) key);
        signer.update(message);
        byte[] signature = signer.sign();

        Certificate cert = ks.getCertificate("signing-key");
        Signature verifier = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        verifier.initVerify(((InfisicalPrivateKey) key).publicKey().jdkPublicKey());
        verifier.update(message);
        if (!verifier.verify(signature)) {
            throw new IllegalStateException("the JDK does not verify the signature");
        }
        cert.verify(cert.getPublicKey(), "SunRsaSign");
        System.out.println("OK " + ks.getProvider().getName() + " " + signer.getProvider().getName() + " " + position);
    }
}
