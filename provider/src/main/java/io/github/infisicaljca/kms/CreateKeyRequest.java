package io.github.infisicaljca.kms;

import java.util.Objects;

/**
 * A key to create. Without a usage and algorithm the server makes an {@code aes-256-gcm}
 * encrypt-decrypt key. Build with {@link #builder(String, String)}.
 */
public record CreateKeyRequest(String projectId, String name, String description, KeyUsage keyUsage,
        String algorithm) {

    /**
     * Checks the required fields.
     *
     * @param projectId the project to create the key in, not blank
     * @param name the key's name, 1 to 32 characters
     * @param description a description, or null
     * @param keyUsage what the key is for, or null for the server's default (encrypt-decrypt)
     * @param algorithm Infisical's algorithm name, or null for the server's default
     * @throws IllegalArgumentException when the project id is blank or the name too long or blank
     */
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

    /**
     * Starts a request; the other fields are optional.
     *
     * @param projectId the project to create the key in
     * @param name the key's name, 1 to 32 characters
     * @return the builder
     */
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

        /**
         * The key's description.
         *
         * @param description free text
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * What the key is for; it must fit the algorithm.
         *
         * @param keyUsage the usage
         * @return this builder
         */
        public Builder keyUsage(KeyUsage keyUsage) {
            this.keyUsage = keyUsage;
            return this;
        }

        /**
         * The key algorithm.
         *
         * @param algorithm Infisical's name, for example {@code aes-256-gcm}, {@code RSA_4096}, {@code HMAC_SHA_256}
         * @return this builder
         */
        public Builder algorithm(String algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        /**
         * Validates the request.
         *
         * @return the request
         * @throws IllegalArgumentException when the project id or the name is invalid
         */
        public CreateKeyRequest build() {
            return new CreateKeyRequest(projectId, name, description, keyUsage, algorithm);
        }
    }
}
