package io.github.infisicaljca.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One KMS emulator over real sockets and a provider configured for it, ignoring the machine's
 * environment. Retries are off and the request timeout short, so injected faults fail at once.
 */
final class AuditEmulator implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final KmsEmulator kms;
    final InfisicalProvider provider;

    AuditEmulator() {
        this.kms = KmsEmulator.builder().start();
        this.provider = new InfisicalProvider(InfisicalConfig.builder().withoutAmbientSources()
                .url(kms.url().toString()).clientId(kms.clientId()).clientSecret(kms.clientSecret())
                .projectId(kms.projectId()).maxRetries(0).requestTimeout(Duration.ofSeconds(5)).build());
    }

    InfisicalPrivateKey rsaKey() throws Exception {
        return (InfisicalPrivateKey) provider.key(kms.signingKeyId());
    }

    InfisicalPrivateKey ecKey() throws Exception {
        return (InfisicalPrivateKey) provider.key(kms.keyId(KmsEmulator.EC_SIGNING_KEY));
    }

    InfisicalSecretKey encryptionKey() throws Exception {
        return (InfisicalSecretKey) provider.key(kms.encryptionKeyId());
    }

    /** The requests received with this method whose path (without query) ends with {@code suffix}. */
    List<RecordedRequest> requests(String method, String suffix) {
        return kms.requests().stream().filter(r -> r.method().equals(method) && r.route().endsWith(suffix))
                .collect(Collectors.toList());
    }

    static JsonNode body(RecordedRequest r) {
        try {
            return JSON.readTree(r.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kms.close();
    }
}
