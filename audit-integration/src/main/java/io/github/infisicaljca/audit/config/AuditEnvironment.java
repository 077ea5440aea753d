package io.github.infisicaljca.audit.config;

import io.github.infisicaljca.audit.FallbackPolicy;
import java.util.List;
import java.util.Locale;

/**
 * The four deployment environments of the smart-logs audit configuration, each with its own
 * defaults (see {@link AuditConfigFactory}).
 */
public enum AuditEnvironment {
    /** Local work: KMS optional, HMAC fallback, a persistent development secret file. */
    DEVELOPMENT("development", "dev"),
    /** Pre-production: KMS required, HMAC only when the KMS is unavailable. */
    STAGING("staging", "stage"),
    /** KMS required and the only signer; the HMAC secret is still required for verification. */
    PRODUCTION("production", "prod"),
    /** Automated tests: like development, with a fixed, documented, public test secret. */
    TEST("test");

    private final String configName;
    private final List<String> aliases;

    AuditEnvironment(String configName, String... aliases) {
        this.configName = configName;
        this.aliases = List.of(aliases);
    }

    /** {@return the canonical lower-case name: {@code development}, {@code staging}, {@code production}, {@code test}} */
    public String configName() {
        return configName;
    }

    /**
     * The environment for a name, case-insensitive, surrounding blanks ignored:
     * {@code development}/{@code dev}, {@code staging}/{@code stage},
     * {@code production}/{@code prod}, {@code test}.
     *
     * @param name the environment's name or alias, any case
     * @return the environment
     * @throws AuditConfigException for anything else (null included), naming the accepted values
     */
    public static AuditEnvironment parse(String name) {
        if (name != null) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (AuditEnvironment e : values()) {
                if (e.configName.equals(n) || e.aliases.contains(n)) {
                    return e;
                }
            }
        }
        String shown = name == null ? "null"
                : "'" + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "'";
        throw new AuditConfigException("unknown audit environment " + shown + ": use one of "
                + "development (dev), staging (stage), production (prod), test");
    }

    /** The signing policy unless {@code AUDIT_FALLBACK_POLICY} overrides it. */
    FallbackPolicy defaultFallbackPolicy() {
        switch (this) {
            case PRODUCTION:
                return FallbackPolicy.KMS_ONLY;
            case STAGING:
                return FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE;
            default:
                return FallbackPolicy.HMAC_WHEN_KMS_DISABLED;
        }
    }

    /** Whether the KMS settings must all be present (else the KMS is used only when they are). */
    boolean requiresKms() {
        return this == STAGING || this == PRODUCTION;
    }

    /** The seed's default: on everywhere except in {@code test}. */
    boolean defaultIntegrityVerification() {
        return this != TEST;
    }
}
