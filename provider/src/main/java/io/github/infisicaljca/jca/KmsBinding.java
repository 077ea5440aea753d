package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.kms.KmsOperations;

/**
 * What a key handle needs to reach its key: the KMS operations (the seam) and the settings
 * that shape the JCA behaviour (payload limit, verification mode, project). Every handle made
 * by one provider shares one binding, so handles keep working whichever provider instance the
 * JCA picks for an operation.
 */
public final class KmsBinding {
    private final KmsOperations operations;
    private final InfisicalConfig config;
    private final DataKeyCache dataKeys = new DataKeyCache();

    public KmsBinding(KmsOperations operations, InfisicalConfig config) {
        this.operations = operations;
        this.config = config;
    }

    public KmsOperations operations() {
        return operations;
    }

    public InfisicalConfig config() {
        return config;
    }

    DataKeyCache dataKeys() {
        return dataKeys;
    }

    @Override
    public String toString() {
        return "KmsBinding{" + config.url() + "}";
    }
}
