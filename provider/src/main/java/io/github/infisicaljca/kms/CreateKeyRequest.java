package io.github.infisicaljca.kms;

import java.util.Objects;

/**
 * A key to create. Without a usage and algorithm the server makes an {@code aes-256-gcm}
 * encrypt-decrypt key. Build with {@link #builder(String, String)}.
 */
public record CreateKeyRequest(String projectId, String name, String description, KeyUsage keyUsage,
        String algorithm) {

    public CreateKeyRequest {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(name, "name");
        if (projectId.isBlank()) {
            throw new IllegalArgumentException("projectId must not be blank");
        }
        if (name.isBlank() || name.length() > 32) {
            throw new IllegalArgumentException("a key name must have 1 to 32 characters, not " + name.length());
        }
    }

    public static Builder builder(String projectId, String name) {
        return new Builder(projectId, name);
    }

    /** Optional fields; {@link #build()} validates. */
    public static final class Builder {
        private final String projectId;
        private final String name;
        private String description;
        private KeyUsage keyUsage;
        private String algorithm;

        private Builder(String projectId, String name) {
            this.projectId = projectId;
            this.name = name;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder keyUsage(KeyUsage keyUsage) {
            this.keyUsage = keyUsage;
            return this;
        }

        /** The key algorithm, for example {@code aes-256-gcm}, {@code RSA_4096}, {@code HMAC_SHA_256}. */
        public Builder algorithm(String algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public CreateKeyRequest build() {
            return new CreateKeyRequest(projectId, name, description, keyUsage, algorithm);
        }
    }
}
