package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One emulator per test class, over real sockets, and providers configured for it. The
 * configuration ignores the machine's environment so tests see only what they set.
 */
final class EmulatorFixture implements AutoCloseable {
    final KmsEmulator kms;

    EmulatorFixture() {
        this(KmsEmulator.builder());
    }

    EmulatorFixture(KmsEmulator.Builder builder) {
        this.kms = builder.start();
    }

    InfisicalConfig.Builder config() {
        return InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString()).clientId(kms.clientId())
                .clientSecret(kms.clientSecret()).projectId(kms.projectId());
    }

    InfisicalProvider provider() {
        return new InfisicalProvider(config().build());
    }

    /** The INFISICAL KeyStore of a fresh provider, loaded. */
    KeyStore keyStore(InfisicalProvider provider) throws Exception {
        KeyStore ks = KeyStore.getInstance("INFISICAL", provider);
        ks.load(null, null);
        return ks;
    }

    /** The private-key handle of a signing key, by name or id. */
    static InfisicalPrivateKey privateKey(KeyStore ks, String alias) throws GeneralSecurityException {
        return (InfisicalPrivateKey) ks.getKey(alias, null);
    }

    /** A JDK-made EC key pair on a named curve (for example {@code secp384r1}), to import. */
    static KeyPair ecKeyPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    /** A JDK-made RSA 4096 key pair (about a second), to import. */
    static KeyPair rsa4096() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(4096);
        return g.generateKeyPair();
    }

    /** The requests the emulator received whose path (without query) ends with {@code routeSuffix}. */
    List<RecordedRequest> requests(String method, String routeSuffix) {
        return kms.requests().stream().filter(r -> r.method().equals(method) && r.route().endsWith(routeSuffix))
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        kms.close();
    }
}
