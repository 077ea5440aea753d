package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A key's JSON as each server profile sends it, in a listing or alone. */
final class KeyJson {
    private KeyJson() {
    }

    /** A key in a listing (and, on newer servers, in every answer). */
    static ObjectNode render(EmulatedKey k, ServerProfile profile) {
        return render(k, profile, true);
    }

    /** A key alone, as create, update and delete answer it. */
    static ObjectNode single(EmulatedKey k, ServerProfile profile) {
        return render(k, profile, profile.fullKeyAnswers());
    }

    private static ObjectNode render(EmulatedKey k, ServerProfile profile, boolean withVersion) {
        ObjectNode n = HttpFront.JSON.createObjectNode();
        n.put("id", k.id());
        n.put("description", k.description());
        n.put("isDisabled", k.disabled());
        if (profile == ServerProfile.INFISICAL_2024) {
            n.put("isReserved", false);
        }
        n.put("orgId", k.orgId());
        n.put("name", k.name());
        n.put("createdAt", k.createdAt().toString());
        n.put("updatedAt", k.updatedAt().toString());
        n.put("projectId", k.projectId());
        if (profile == ServerProfile.INFISICAL_2024) {
            n.putNull("slug");
        }
        if (withVersion) {
            n.put("version", k.version());
            n.put("encryptionAlgorithm", k.spec().wire);
        }
        if (profile == ServerProfile.CURRENT) {
            n.put("algorithm", k.spec().wire);
            n.put("keyUsage", k.spec().usage.wire);
            n.put("isExportable", false);
        }
        return n;
    }
}
