package io.github.infisicaljca.audit.config;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.FallbackPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit integration's security settings: how events are hashed, signed and optionally
 * encrypted. Immutable; usually made by {@link AuditConfigFactory}. The constructor refuses an
 * inconsistent combination with an {@link AuditConfigException} listing every problem:
 * <ul>
 * <li>{@code hashAlgorithm} must be {@value #HASH_ALGORITHM} ({@code null} means that);</li>
 * <li>{@link FallbackPolicy#KMS_ONLY} needs an enabled KMS; every other policy needs
 *     {@code hmacSecret};</li>
 * <li>{@code enableLogEncryption} needs an enabled KMS with an {@code encryptionKeyId};</li>
 * <li>staging and production need an enabled KMS and {@code hmacSecret}; production's secret
 *     has at least {@value #MIN_PRODUCTION_SECRET_LENGTH} characters.</li>
 * </ul>
 *
 * <p>{@link #toString()} is the {@link #sanitized()} view: secrets print as {@value Secret#MASK}.
 *
 * @param environment                 the deployment environment
 * @param enableIntegrityVerification whether stored events are checked against their hash
 * @param enableLogEncryption         whether events are encrypted with the KMS encryption key
 * @param hashAlgorithm               always {@value #HASH_ALGORITHM}
 * @param fallbackPolicy              when the local HMAC may sign instead of the KMS
 * @param hmacSecret                  the HMAC-SHA256 key (UTF-8 bytes of the value); signs under
 *                                    the fallback and verifies HMAC-signed events; {@code null}
 *                                    only with {@link FallbackPolicy#KMS_ONLY} outside staging
 *                                    and production
 * @param kms                         the KMS settings ({@link KmsConfig#disabled()} for none)
 */
public record SecurityConfig(AuditEnvironment environment, boolean enableIntegrityVerification,
        boolean enableLogEncryption, String hashAlgorithm, FallbackPolicy fallbackPolicy,
        Secret hmacSecret, KmsConfig kms) {

    /** The only event hash: SHA-256, as the original. */
    public static final String HASH_ALGORITHM = "SHA-256";
    /** The shortest HMAC secret production accepts, in characters. */
    public static final int MIN_PRODUCTION_SECRET_LENGTH = 32;

    /**
     * Fills in the default hash algorithm and checks the settings.
     *
     * @param environment                 the deployment environment
     * @param enableIntegrityVerification whether stored events are checked against their hash
     * @param enableLogEncryption         whether events are encrypted with the KMS encryption key
     * @param hashAlgorithm               always {@value #HASH_ALGORITHM}
     * @param fallbackPolicy              when the local HMAC may sign instead of the KMS
     * @param hmacSecret                  the HMAC-SHA256 key (UTF-8 bytes of the value); signs under
     *                                    the fallback and verifies HMAC-signed events; {@code null}
     *                                    only with {@link FallbackPolicy#KMS_ONLY} outside staging
     *                                    and production
     * @param kms                         the KMS settings ({@link KmsConfig#disabled()} for none)
     * @throws AuditConfigException when they are inconsistent
     */
    public SecurityConfig {
        hashAlgorithm = hashAlgorithm == null ? HASH_ALGORITHM : hashAlgorithm;
        List<String> problems = new ArrayList<>();
        if (environment == null) {
            problems.add("environment is required");
        }
        if (fallbackPolicy == null) {
            problems.add("fallbackPolicy is required");
        }
        if (kms == null) {
            problems.add("kms is required (use KmsConfig.disabled() for none)");
        }
        if (!HASH_ALGORITHM.equals(hashAlgorithm)) {
            problems.add("hashAlgorithm must be " + HASH_ALGORITHM + ", not '" + hashAlgorithm + "'");
        }
        if (problems.isEmpty()) {
            boolean kmsOn = kms.enabled();
            if (fallbackPolicy == FallbackPolicy.KMS_ONLY && !kmsOn) {
                problems.add("fallbackPolicy KMS_ONLY needs an enabled KMS");
            }
            if (fallbackPolicy != FallbackPolicy.KMS_ONLY && hmacSecret == null) {
                problems.add("fallbackPolicy " + fallbackPolicy + " needs hmacSecret");
            }
            if (enableLogEncryption && (!kmsOn || kms.encryptionKeyId() == null)) {
                problems.add("enableLogEncryption needs an enabled KMS with an encryptionKeyId");
            }
            if (environment == AuditEnvironment.STAGING || environment == AuditEnvironment.PRODUCTION) {
                if (!kmsOn) {
                    problems.add(environment.configName() + " needs an enabled KMS");
                }
                if (hmacSecret == null) {
                    problems.add(environment.configName() + " needs hmacSecret (it verifies HMAC-signed events)");
                }
            }
            if (environment == AuditEnvironment.PRODUCTION && hmacSecret != null
                    && hmacSecret.reveal().length() < MIN_PRODUCTION_SECRET_LENGTH) {
                problems.add("production needs an hmacSecret of at least " + MIN_PRODUCTION_SECRET_LENGTH
                        + " characters");
            }
        }
        if (!problems.isEmpty()) {
            throw new AuditConfigException(problems);
        }
    }

    /**
     * Every setting in a fixed order, the KMS ones prefixed {@code kms.}: secrets (HMAC secret,
     * access token, client secret) as {@value Secret#MASK}, credentials and query of the URL
     * masked ({@code https://***MASKED***@host/...}), absent values as {@code <unset>}. What
     * {@code doctor} prints.
     *
     * @return the settings by name, in a fixed order
     */
    public Map<String, String> sanitized() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("environment", environment.configName());
        m.put("enableIntegrityVerification", Boolean.toString(enableIntegrityVerification));
        m.put("enableLogEncryption", Boolean.toString(enableLogEncryption));
        m.put("hashAlgorithm", hashAlgorithm);
        m.put("fallbackPolicy", fallbackPolicy.name());
        m.put("hmacSecret", Masking.secret(hmacSecret));
        for (Map.Entry<String, String> e : kms.sanitized().entrySet()) {
            m.put("kms." + e.getKey(), e.getValue());
        }
        return m;
    }

    @Override
    public String toString() {
        return "SecurityConfig" + sanitized();
    }
}
