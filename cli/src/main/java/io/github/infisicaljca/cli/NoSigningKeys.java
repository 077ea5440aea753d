package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import java.util.List;

/**
 * A server that offers no signing keys (the 2024 Infisical server has AES keys only): there,
 * audit events can be sealed with HMAC-SHA256 only, so {@code audit} and {@code doctor} say
 * that and name {@code AUDIT_CRYPTO_SECRET} instead of asking for a KMS signing key. Told from
 * the project's key list: no sign-verify key in it.
 */
final class NoSigningKeys {
    /** What to do there. */
    static final String HMAC_ADVICE = "set " + CliEnvironment.AUDIT_SECRET
            + " to seal and verify audit events with HMAC-SHA256";

    private NoSigningKeys() {
    }

    /** The finding from the project's listed keys; {@code null} when one of them is a sign-verify key. */
    static String finding(String projectId, List<KmsKey> keys) {
        if (keys.stream().anyMatch(k -> k.keyUsage() == KeyUsage.SIGN_VERIFY)) {
            return null;
        }
        return "the server offers no signing keys here (project " + projectId + " has no sign-verify key; the 2024"
                + " Infisical server has AES keys only)";
    }

    /**
     * Lists the project's keys to find out; {@code null} when the server offers a signing key, or
     * when that cannot be told (no project configured, or no answer).
     */
    static String ask(InfisicalConfig config) {
        if (config == null || config.projectId().isEmpty()) {
            return null;
        }
        String project = config.projectId().get();
        try (KmsClient client = KmsClient.create(config)) {
            return finding(project, client.listKeys(project));
        } catch (KmsException e) {
            return null;
        }
    }

    /** {@link #ask} after a failed lookup of the signing key, when the server answered that it has no such key or route. */
    static String askAfter(InfisicalConfig config, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KmsApiException api && (api.isNotFound() || api.isRouteNotFound())) {
                return ask(config);
            }
        }
        return null; // an outage or a refusal says nothing about the server's keys
    }
}
