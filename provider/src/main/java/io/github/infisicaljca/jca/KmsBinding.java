package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import io.github.infisicaljca.kms.KmsOperations;
import io.github.infisicaljca.telemetry.internal.TelemetryRecorder;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a key handle needs to reach its key: the KMS operations (the seam) and the settings
 * that shape the JCA behaviour (payload limit, verification mode, project). Every handle made
 * by one provider shares one binding, so handles keep working whichever provider instance the
 * JCA picks for an operation.
 *
 * <p>It also keeps what never changes for a key id and costs a KMS call to learn: a signing
 * key's public key (a GET, and reads are the scarcest budget: 60 a minute by default) and the
 * KeyStore's self-signed certificate (a signature). Every handle and KeyStore of the provider
 * reuses them, across {@code KeyStore.load} and {@code InfisicalProvider.key} calls.
 */
public final class KmsBinding {
    private final KmsOperations operations;
    private final InfisicalConfig config;
    private final DataKeyCache dataKeys;
    private final Map<String, PublicKey> publicKeys = new ConcurrentHashMap<>();
    private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

    /**
     * Binds a client to the configuration it was made from.
     *
     * @param operations the KMS calls
     * @param config the configuration in use
     */
    public KmsBinding(KmsOperations operations, InfisicalConfig config) {
        // The cache reports into the client's telemetry (none when the operations are not a KmsClient).
        this(operations, config, new DataKeyCache(TelemetryRecorder.of(operations)));
    }

    KmsBinding(KmsOperations operations, InfisicalConfig config, DataKeyCache dataKeys) {
        this.operations = operations;
        this.config = config;
        this.dataKeys = dataKeys;
    }

    /** {@return the KMS calls} */
    public KmsOperations operations() {
        return operations;
    }

    /** {@return the configuration in use} */
    public InfisicalConfig config() {
        return config;
    }

    DataKeyCache dataKeys() {
        return dataKeys;
    }

    /** The key's public key, fetched on first need only (two racing threads may both fetch it; both get equal keys). */
    PublicKey publicKey(KmsKey key) throws KmsException, InvalidKeyException {
        String id = key.id().toLowerCase(Locale.ROOT);
        PublicKey known = publicKeys.get(id);
        if (known != null) {
            return known;
        }
        PublicKey fetched = KeyHandles.decodePublicKey(key, operations.publicKey(key.id()));
        PublicKey raced = publicKeys.putIfAbsent(id, fetched);
        return raced != null ? raced : fetched;
    }

    /** The self-signed certificate of a signing key, made (signed through the KMS) once per key id and name. */
    X509Certificate certificate(PrivateKeyHandle key) {
        return certificates.computeIfAbsent(key.keyId().toLowerCase(Locale.ROOT) + "/" + key.keyName(),
                k -> Certificates.selfSigned(key));
    }

    @Override
    public String toString() {
        return "KmsBinding{" + config.url() + "}";
    }
}
