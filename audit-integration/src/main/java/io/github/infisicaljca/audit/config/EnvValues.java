package io.github.infisicaljca.audit.config;

import static io.github.infisicaljca.audit.config.AuditConfigFactory.INFISICAL_ACCESS_TOKEN;
import static io.github.infisicaljca.audit.config.AuditConfigFactory.INFISICAL_TOKEN;
import static io.github.infisicaljca.audit.config.AuditConfigFactory.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID;
import static io.github.infisicaljca.audit.config.AuditConfigFactory.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET;
import static io.github.infisicaljca.audit.config.AuditConfigFactory.INFISICAL_URL;
import static io.github.infisicaljca.audit.config.AuditConfigFactory.KMS_ENCRYPTION_KEY_ID;
import static io.github.infisicaljca.audit.config.AuditConfigFactory.KMS_SIGNING_KEY_ID;

import io.github.infisicaljca.audit.FallbackPolicy;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Typed readings of single variables and small cross-checks, for {@link AuditConfigFactory}. */
final class EnvValues {
    private EnvValues() {
    }

    /** An Infisical signing algorithm name (case-insensitive, {@code -} read as {@code _}), or null. */
    static String signingAlgorithm(EnvReader r, String name) {
        String v = r.get(name);
        if (v == null) {
            return null;
        }
        String normalized = v.toUpperCase(Locale.ROOT).replace('-', '_');
        if (!KmsConfig.SIGNING_ALGORITHMS.contains(normalized)) {
            r.problem(name, name + " '" + v + "' is not an Infisical signing algorithm: use one of "
                    + String.join(", ", KmsConfig.SIGNING_ALGORITHMS));
            return null;
        }
        return normalized;
    }

    /** A {@link FallbackPolicy} name (case-insensitive, {@code -} read as {@code _}), or null. */
    static FallbackPolicy fallbackPolicy(EnvReader r, String name) {
        String v = r.get(name);
        if (v == null) {
            return null;
        }
        String normalized = v.toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> names = new ArrayList<>();
        for (FallbackPolicy p : FallbackPolicy.values()) {
            if (p.name().equals(normalized)) {
                return p;
            }
            names.add(p.name());
        }
        r.problem(name, name + " '" + v + "' is not a fallback policy: use one of " + String.join(", ", names));
        return null;
    }

    /** {@code true} or {@code false} (case-insensitive), or null when unset or invalid. */
    static Boolean bool(EnvReader r, String name) {
        String v = r.get(name);
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.valueOf(v.toLowerCase(Locale.ROOT));
        }
        r.problem(name, name + " must be true or false, not '" + v + "'");
        return null;
    }

    /** Universal Auth needs both halves. */
    static void checkCredentialPair(EnvReader r, String clientId, String clientSecret) {
        if (clientId != null && clientSecret == null && !r.invalid(INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET)) {
            r.problem(INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, INFISICAL_UNIVERSAL_AUTH_CLIENT_ID + " is set but "
                    + INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET + " is not: Universal Auth needs both");
        } else if (clientId == null && clientSecret != null && !r.invalid(INFISICAL_UNIVERSAL_AUTH_CLIENT_ID)) {
            r.problem(INFISICAL_UNIVERSAL_AUTH_CLIENT_ID, INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET + " is set but "
                    + INFISICAL_UNIVERSAL_AUTH_CLIENT_ID + " is not: Universal Auth needs both");
        }
    }

    /** Says why KMS signing is off when some, but not all, of its settings were given. */
    static void logKmsOff(EnvReader r, String envName, String url, boolean credentials, String signingKeyId) {
        List<String> given = new ArrayList<>();
        for (String name : List.of(INFISICAL_URL, INFISICAL_ACCESS_TOKEN, INFISICAL_TOKEN,
                INFISICAL_UNIVERSAL_AUTH_CLIENT_ID, INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, KMS_SIGNING_KEY_ID,
                KMS_ENCRYPTION_KEY_ID)) {
            if (r.present(name)) {
                given.add(name);
            }
        }
        if (given.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (url == null) {
            missing.add(INFISICAL_URL);
        }
        if (!credentials) {
            missing.add("credentials");
        }
        if (signingKeyId == null) {
            missing.add(KMS_SIGNING_KEY_ID);
        }
        DevSecretFile.LOG.log(Level.WARNING, "KMS signing is off in " + envName + ": " + String.join(", ", given)
                + " set, but " + String.join(", ", missing) + " missing; audit events are signed with HMAC-SHA256");
    }
}
