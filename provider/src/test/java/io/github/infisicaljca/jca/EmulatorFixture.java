package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.security.KeyStore;

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

    @Override
    public void close() {
        kms.close();
    }
}
