package io.github.infisicaljca.emulator;

import java.security.KeyPair;
import java.time.Instant;
import javax.crypto.SecretKey;

/**
 * One key: its metadata as the server reports it and its material, which never leaves the
 * emulator except through the operations. Immutable; an update replaces the whole record.
 */
record EmulatedKey(String id, String orgId, String projectId, String name, String description, boolean disabled,
        Instant createdAt, Instant updatedAt, int version, KeySpec spec, Object material) {

    SecretKey secretKey() {
        return (SecretKey) material;
    }

    KeyPair keyPair() {
        return (KeyPair) material;
    }

    EmulatedKey renamed(String newName, String newDescription, Boolean newDisabled, Instant now) {
        return new EmulatedKey(id, orgId, projectId, newName == null ? name : newName,
                newDescription == null ? description : newDescription, newDisabled == null ? disabled : newDisabled,
                createdAt, now, version, spec, material);
    }

    @Override
    public String toString() {
        return "EmulatedKey{id=" + id + ", name=" + name + ", spec=" + spec.wire + ", disabled=" + disabled + "}";
    }
}
