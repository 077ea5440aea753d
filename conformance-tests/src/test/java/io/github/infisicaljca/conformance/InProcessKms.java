package io.github.infisicaljca.conformance;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An emulator in this JVM, with no seeded keys, for known-answer vectors whose keys must be
 * imported (the separate-process emulator cannot import). The provider still reaches it over
 * loopback HTTP, so every operation goes provider -> HTTP -> emulator.
 */
final class InProcessKms implements AutoCloseable {
    final KmsEmulator kms = KmsEmulator.builder().seedKeys(false).start();

    /** A provider configured for this emulator only (no system properties or environment). */
    InfisicalProvider provider() {
        return new InfisicalProvider(InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString())
                .clientId(kms.clientId()).clientSecret(kms.clientSecret()).projectId(kms.projectId()).build());
    }

    /** The requests received whose method matches and whose path (without query) ends with {@code suffix}. */
    List<RecordedRequest> requests(String method, String suffix) {
        return kms.requests().stream().filter(r -> r.method().equals(method) && r.route().endsWith(suffix))
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        kms.close();
    }
}
