package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.VerifyMode;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.security.KeyException;
import java.util.List;

/**
 * One in-process KMS emulator on loopback and a provider configured for it, as a user would:
 * a Universal Auth identity, the default timeouts and retries, nothing from the machine's
 * environment. Every benchmark that talks to the KMS starts from one of these.
 */
public final class BenchFixture implements AutoCloseable {
    private final KmsEmulator kms;
    private final InfisicalProvider provider;

    private BenchFixture(KmsEmulator kms) {
        this.kms = kms;
        this.provider = newProvider(VerifyMode.LOCAL);
    }

    /** A fresh emulator (with its seeded keys) and a provider that verifies locally. */
    public static BenchFixture start() {
        return start(KmsEmulator.builder());
    }

    /** The same, for an emulator with options of its own (rate limits, for example). */
    public static BenchFixture start(KmsEmulator.Builder emulator) {
        return new BenchFixture(emulator.start());
    }

    /** Another provider for the same emulator, with its own connections and token. */
    public InfisicalProvider newProvider(VerifyMode verify) {
        return new InfisicalProvider(config().verify(verify).build());
    }

    /** The configuration a user would write for this emulator, to add settings to. */
    public InfisicalConfig.Builder config() {
        return InfisicalConfig.builder().withoutAmbientSources()
                .url(kms.url().toString()).clientId(kms.clientId()).clientSecret(kms.clientSecret())
                .projectId(kms.projectId());
    }

    public KmsEmulator kms() {
        return kms;
    }

    public InfisicalProvider provider() {
        return provider;
    }

    /** The provider's handle of one of the emulator's seeded keys ({@link KmsEmulator#SIGNING_KEY} ...). */
    public InfisicalKey key(String name) throws KeyException {
        return provider.key(kms.keyId(name));
    }

    /** The body of the last request the emulator received on a route ending with {@code suffix}. */
    public String lastBody(String suffix) {
        List<RecordedRequest> log = kms.requests();
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).route().endsWith(suffix)) {
                return log.get(i).body();
            }
        }
        throw new IllegalStateException("the emulator received no request on *" + suffix);
    }

    @Override
    public void close() {
        kms.close();
    }
}
