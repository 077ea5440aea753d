package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.kms.KmsKey;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Objects;

/**
 * What every handle shares: the key's metadata and binding, identity by server and key id,
 * a descriptive {@code toString()}, and a refusal to be serialised (a handle is meaningless
 * outside the process that holds the client, and {@link java.security.Key} is Serializable).
 */
abstract class HandleBase implements InfisicalKey {
    private static final long serialVersionUID = 1L;

    final transient KmsBinding binding;
    final transient KmsKey metadata;

    HandleBase(KmsBinding binding, KmsKey metadata) {
        this.binding = Objects.requireNonNull(binding);
        this.metadata = Objects.requireNonNull(metadata);
    }

    @Override
    public String keyId() {
        return metadata.id();
    }

    @Override
    public KmsKey metadata() {
        return metadata;
    }

    KmsBinding binding() {
        return binding;
    }

    /** No encoding: private and secret handles hold no material (public handles override this). */
    @Override
    public String getFormat() {
        return null;
    }

    @Override
    public byte[] getEncoded() {
        return null;
    }

    @Override
    public boolean equals(Object o) {
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        HandleBase other = (HandleBase) o;
        return other.metadata.id().equalsIgnoreCase(metadata.id())
                && other.binding.config().url().equals(binding.config().url());
    }

    @Override
    public int hashCode() {
        return metadata.id().toLowerCase(java.util.Locale.ROOT).hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{id=" + metadata.id() + ", name=" + metadata.name() + ", algorithm="
                + metadata.algorithm() + ", server=" + binding.config().url() + "}";
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException(getClass().getName() + ": a handle to a KMS key cannot be serialised; "
                + "store its key id and look it up again");
    }

    private void readObject(ObjectInputStream in) throws IOException {
        throw new NotSerializableException(getClass().getName());
    }
}
