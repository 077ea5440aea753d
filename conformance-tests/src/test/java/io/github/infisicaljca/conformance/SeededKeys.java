package io.github.infisicaljca.conformance;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import java.security.KeyStore;

/**
 * A provider bound to the emulator process, its loaded {@code INFISICAL} KeyStore and handles to
 * the four seeded keys, fetched the way a user does: by name from the KeyStore.
 */
record SeededKeys(EmulatorProcess emulator, InfisicalProvider provider, KeyStore keyStore, InfisicalPrivateKey rsa,
        InfisicalPrivateKey ec, InfisicalSecretKey aes, InfisicalSecretKey hmac) {
    static final String RSA = "signing-key";
    static final String EC = "ec-signing-key";
    static final String AES = "encryption-key";
    static final String HMAC = "hmac-key";

    static SeededKeys load() throws Exception {
        EmulatorProcess emulator = EmulatorProcess.get();
        InfisicalProvider provider = emulator.provider();
        KeyStore ks = KeyStore.getInstance("INFISICAL", provider);
        ks.load(null, null);
        return new SeededKeys(emulator, provider, ks, (InfisicalPrivateKey) ks.getKey(RSA, null),
                (InfisicalPrivateKey) ks.getKey(EC, null), (InfisicalSecretKey) ks.getKey(AES, null),
                (InfisicalSecretKey) ks.getKey(HMAC, null));
    }
}
