package io.github.infisicaljca.audit.config;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.FallbackPolicy;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a validated {@link SecurityConfig} for an environment from a map of environment
 * variables (pass {@code System.getenv()} in an application; tests pass their own map).
 *
 * <p>Variables read: {@value #INFISICAL_URL}, {@value #INFISICAL_ACCESS_TOKEN} (else
 * {@value #INFISICAL_TOKEN}), {@value #INFISICAL_UNIVERSAL_AUTH_CLIENT_ID},
 * {@value #INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET}, {@value #INFISICAL_PROJECT_ID},
 * {@value #KMS_SIGNING_KEY_ID}, {@value #KMS_ENCRYPTION_KEY_ID}, {@value #KMS_SIGNING_ALGORITHM}
 * (default {@value KmsConfig#DEFAULT_SIGNING_ALGORITHM}), {@value #AUDIT_CRYPTO_SECRET},
 * {@value #AUDIT_FALLBACK_POLICY} (overrides the policy) and {@value #AUDIT_LOG_ENCRYPTION}
 * ({@code true}/{@code false}, overrides the encryption default).
 *
 * <p>Defaults per environment:
 * <table>
 * <caption>defaults</caption>
 * <tr><th></th><th>KMS</th><th>policy</th><th>log encryption</th><th>HMAC secret</th><th>integrity verification</th></tr>
 * <tr><td>development</td><td>when URL, credentials and signing key id are all set</td>
 *     <td>HMAC_WHEN_KMS_DISABLED</td><td>off</td>
 *     <td>{@value #AUDIT_CRYPTO_SECRET}, else the file {@code <devSecretDirectory>/dev-audit-secret},
 *     created once with a warning and reused afterwards</td><td>on</td></tr>
 * <tr><td>test</td><td>as development</td><td>HMAC_WHEN_KMS_DISABLED</td><td>off</td>
 *     <td>{@value #AUDIT_CRYPTO_SECRET}, else {@value #TEST_SECRET}</td><td>off</td></tr>
 * <tr><td>staging</td><td>required</td><td>HMAC_WHEN_KMS_UNAVAILABLE</td>
 *     <td>on when {@value #KMS_ENCRYPTION_KEY_ID} is set</td><td>required</td><td>on</td></tr>
 * <tr><td>production</td><td>required</td><td>KMS_ONLY</td><td>on (needs
 *     {@value #KMS_ENCRYPTION_KEY_ID}; {@code AUDIT_LOG_ENCRYPTION=false} turns it off)</td>
 *     <td>required, at least 32 characters</td><td>on</td></tr>
 * </table>
 *
 * <p>Everywhere: empty and placeholder values ({@code changeme}, {@code your-...},
 * {@code <...>}, <code>${...}</code>, {@code secret}, {@code password}, {@code xxx}, ...) are
 * refused, and so is an {@value #AUDIT_CRYPTO_SECRET} of one character repeated
 * ({@link HmacSecretRules}); key ids must be UUIDs; {@value #INFISICAL_URL} must be {@code https://}, or
 * {@code http://} to a loopback host (the provider's rule). Staging and production refuse the
 * public test secret and the development secret. Every problem is collected into one
 * {@link AuditConfigException}; no message contains a secret value. A random secret is never
 * made up per start.
 */
public final class AuditConfigFactory {
    /** Variable: The Infisical server's base URL. */
    public static final String INFISICAL_URL = "INFISICAL_URL";
    /** Variable: A ready access token. */
    public static final String INFISICAL_ACCESS_TOKEN = "INFISICAL_ACCESS_TOKEN";
    /** Variable: A ready access token, read when {@value #INFISICAL_ACCESS_TOKEN} is unset. */
    public static final String INFISICAL_TOKEN = "INFISICAL_TOKEN";
    /** Variable: The Universal Auth machine identity's client id. */
    public static final String INFISICAL_UNIVERSAL_AUTH_CLIENT_ID = "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID";
    /** Variable: The Universal Auth machine identity's client secret. */
    public static final String INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET = "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET";
    /** Variable: The Infisical project of the keys. */
    public static final String INFISICAL_PROJECT_ID = "INFISICAL_PROJECT_ID";
    /** Variable: The KMS key that signs events (a UUID). */
    public static final String KMS_SIGNING_KEY_ID = "KMS_SIGNING_KEY_ID";
    /** Variable: The KMS key that encrypts event payloads (a UUID). */
    public static final String KMS_ENCRYPTION_KEY_ID = "KMS_ENCRYPTION_KEY_ID";
    /** Variable: Infisical's signing algorithm for {@value #KMS_SIGNING_KEY_ID}. */
    public static final String KMS_SIGNING_ALGORITHM = "KMS_SIGNING_ALGORITHM";
    /** Variable: The HMAC-SHA256 secret of the fallback signer. */
    public static final String AUDIT_CRYPTO_SECRET = "AUDIT_CRYPTO_SECRET";
    /** Variable: A {@link io.github.infisicaljca.audit.FallbackPolicy} name, overriding the environment's policy. */
    public static final String AUDIT_FALLBACK_POLICY = "AUDIT_FALLBACK_POLICY";
    /** Variable: {@code true} or {@code false}, overriding the environment's encryption default. */
    public static final String AUDIT_LOG_ENCRYPTION = "AUDIT_LOG_ENCRYPTION";

    /** The fixed secret of the {@code test} environment: public, deterministic, refused in staging and production. */
    public static final String TEST_SECRET = "infisical-jca-test-secret-not-for-production";
    /** The development secret's file name inside the dev secret directory. */
    public static final String DEV_SECRET_FILE = "dev-audit-secret";

    private static final String CREDENTIAL_NAMES = INFISICAL_UNIVERSAL_AUTH_CLIENT_ID + " and "
            + INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET + ", or " + INFISICAL_ACCESS_TOKEN + " (or " + INFISICAL_TOKEN + ")";
    private static final String KMS_NAMES = INFISICAL_URL + ", credentials (" + CREDENTIAL_NAMES + ") and "
            + KMS_SIGNING_KEY_ID;

    private AuditConfigFactory() {
    }

    /** {@return {@code ~/.infisical-jca}: where development keeps its secret file unless told otherwise} */
    public static Path defaultDevSecretDirectory() {
        return Path.of(System.getProperty("user.home"), ".infisical-jca");
    }

    /**
     * {@link #create(String, Map, Path)} with the {@link #defaultDevSecretDirectory()}.
     *
     * @param environmentName the environment, for example {@code production}
     * @param env the variables to read
     * @return the configuration
     * @throws AuditConfigException listing every problem
     */
    public static SecurityConfig create(String environmentName, Map<String, String> env) {
        return create(environmentName, env, defaultDevSecretDirectory());
    }

    /**
     * The configuration of an environment ({@code development}/{@code dev},
     * {@code staging}/{@code stage}, {@code production}/{@code prod}, {@code test}) from the
     * given variables; only {@code env} is read, never the real environment.
     *
     * @param environmentName the environment, for example {@code production}
     * @param env the variables to read
     * @param devSecretDirectory where development keeps (and, once, creates) its secret file;
     *        staging and production only read it, to refuse a reused development secret
     * @return the configuration
     * @throws AuditConfigException listing every problem
     */
    public static SecurityConfig create(String environmentName, Map<String, String> env, Path devSecretDirectory) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(devSecretDirectory, "devSecretDirectory");
        AuditEnvironment environment = AuditEnvironment.parse(environmentName);
        EnvReader r = new EnvReader(env);

        String url = r.get(INFISICAL_URL);
        String accessToken = r.secret(INFISICAL_ACCESS_TOKEN, false);
        String legacyToken = r.secret(INFISICAL_TOKEN, false);
        String token = accessToken != null ? accessToken : legacyToken;
        String clientId = r.get(INFISICAL_UNIVERSAL_AUTH_CLIENT_ID);
        String clientSecret = r.secret(INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, false);
        String projectId = r.get(INFISICAL_PROJECT_ID);
        String signingKeyId = r.uuid(KMS_SIGNING_KEY_ID);
        String encryptionKeyId = r.uuid(KMS_ENCRYPTION_KEY_ID);
        String algorithm = EnvValues.signingAlgorithm(r, KMS_SIGNING_ALGORITHM);
        FallbackPolicy policyOverride = EnvValues.fallbackPolicy(r, AUDIT_FALLBACK_POLICY);
        Boolean encryptionOverride = EnvValues.bool(r, AUDIT_LOG_ENCRYPTION);
        String hmac = r.secret(AUDIT_CRYPTO_SECRET, true);

        EnvValues.checkCredentialPair(r, clientId, clientSecret);
        boolean credentials = token != null || (clientId != null && clientSecret != null);
        if (url != null) {
            checkUrl(r, url);
        }
        boolean kmsEnabled = url != null && credentials && signingKeyId != null;
        String envName = environment.configName();
        if (environment.requiresKms()) {
            requireKms(r, envName, url, credentials, signingKeyId);
        }

        FallbackPolicy policy = policyOverride != null ? policyOverride : environment.defaultFallbackPolicy();
        if (policy == FallbackPolicy.KMS_ONLY && !kmsEnabled && !environment.requiresKms()) {
            r.problem(AUDIT_FALLBACK_POLICY, AUDIT_FALLBACK_POLICY + "=KMS_ONLY needs the KMS: set " + KMS_NAMES);
        }

        boolean encryption = encryptionOverride != null ? encryptionOverride
                : environment == AuditEnvironment.PRODUCTION
                        || (environment == AuditEnvironment.STAGING && encryptionKeyId != null);
        if (encryption && !r.invalid(AUDIT_LOG_ENCRYPTION)) {
            checkEncryption(r, environment, encryptionOverride != null, kmsEnabled, encryptionKeyId);
        }

        Secret hmacSecret = hmacSecret(r, environment, hmac, devSecretDirectory);
        if (!r.problems().isEmpty()) {
            throw new AuditConfigException(r.problems());
        }

        KmsConfig kms = new KmsConfig(kmsEnabled, url, token == null ? null : Secret.of(token), clientId,
                clientSecret == null ? null : Secret.of(clientSecret), projectId, signingKeyId, encryptionKeyId,
                algorithm, KmsConfig.DEFAULT_REQUEST_TIMEOUT);
        if (kmsEnabled) {
            kms.toProviderConfig();  // the provider's own validation, once more, on the real values
        } else {
            EnvValues.logKmsOff(r, envName, url, credentials, signingKeyId);
        }
        return new SecurityConfig(environment, environment.defaultIntegrityVerification(), encryption,
                SecurityConfig.HASH_ALGORITHM, policy, hmacSecret, kms);
    }

    /** The provider's URL rule (http(s), http only to loopback, no user info), on the URL alone. */
    private static void checkUrl(EnvReader r, String url) {
        try {
            // A stand-in token only satisfies the builder's credential check; nothing is sent.
            InfisicalConfig.builder().withoutAmbientSources().url(url).accessToken("url-check-only").build();
        } catch (InfisicalConfigException e) {
            for (String problem : ProviderProblems.translate(e, url)) {
                r.problem(INFISICAL_URL, problem);
            }
        }
    }

    private static void requireKms(EnvReader r, String envName, String url, boolean credentials, String signingKeyId) {
        if (url == null && !r.invalid(INFISICAL_URL)) {
            r.problem(INFISICAL_URL, INFISICAL_URL + " is not set: " + envName
                    + " signs audit events with Infisical KMS and needs the server's base URL");
        }
        if (!credentials && !r.invalid(INFISICAL_ACCESS_TOKEN) && !r.invalid(INFISICAL_TOKEN)
                && !r.invalid(INFISICAL_UNIVERSAL_AUTH_CLIENT_ID) && !r.invalid(INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET)) {
            r.problem("no Infisical credentials: " + envName + " needs " + CREDENTIAL_NAMES);
        }
        if (signingKeyId == null && !r.invalid(KMS_SIGNING_KEY_ID)) {
            r.problem(KMS_SIGNING_KEY_ID, KMS_SIGNING_KEY_ID + " is not set: " + envName
                    + " signs audit events with the KMS and needs the sign-verify key's id");
        }
    }

    private static void checkEncryption(EnvReader r, AuditEnvironment environment, boolean explicit,
            boolean kmsEnabled, String encryptionKeyId) {
        if (encryptionKeyId == null && !r.invalid(KMS_ENCRYPTION_KEY_ID)) {
            r.problem(KMS_ENCRYPTION_KEY_ID, explicit
                    ? KMS_ENCRYPTION_KEY_ID + " is not set, but " + AUDIT_LOG_ENCRYPTION
                            + "=true needs the encrypt-decrypt key's id"
                    : KMS_ENCRYPTION_KEY_ID + " is not set: production encrypts audit events by default "
                            + "and needs the encrypt-decrypt key's id (or set " + AUDIT_LOG_ENCRYPTION
                            + "=false to turn encryption off explicitly)");
        }
        if (!kmsEnabled && !environment.requiresKms()) {
            r.problem(AUDIT_LOG_ENCRYPTION, AUDIT_LOG_ENCRYPTION + "=true needs the KMS: set " + KMS_NAMES);
        }
    }

    private static Secret hmacSecret(EnvReader r, AuditEnvironment environment, String hmac, Path devDir) {
        if (r.invalid(AUDIT_CRYPTO_SECRET)) {
            return null;
        }
        if (hmac != null && !hmac.equals(hmac.strip())) {
            DevSecretFile.LOG.log(Level.WARNING, AUDIT_CRYPTO_SECRET + " has leading or trailing white space; "
                    + "it is used exactly as given, white space included");
        }
        String weak = hmac == null ? null : HmacSecretRules.problem(AUDIT_CRYPTO_SECRET, hmac,
                environment == AuditEnvironment.PRODUCTION ? SecurityConfig.MIN_PRODUCTION_SECRET_LENGTH : 1).orElse(null);
        if (weak != null) {
            r.problem(AUDIT_CRYPTO_SECRET, weak);
            return null;
        }
        switch (environment) {
            case DEVELOPMENT:
                if (hmac != null) {
                    return Secret.of(hmac);
                }
                // Only a configuration that is otherwise valid may leave a file behind.
                return r.problems().isEmpty() ? DevSecretFile.readOrCreate(devDir, DEV_SECRET_FILE, r) : null;
            case TEST:
                return Secret.of(hmac != null ? hmac : TEST_SECRET);
            default:
                return requiredSecret(r, environment, hmac, devDir);
        }
    }

    private static Secret requiredSecret(EnvReader r, AuditEnvironment environment, String hmac, Path devDir) {
        String envName = environment.configName();
        if (hmac == null) {
            r.problem(AUDIT_CRYPTO_SECRET, AUDIT_CRYPTO_SECRET + " is not set: " + envName + " refuses to start "
                    + "without it (it verifies HMAC-signed events"
                    + (environment == AuditEnvironment.STAGING ? " and signs when the KMS is unavailable" : "")
                    + "; a random secret per start would make signatures unverifiable)");
            return null;
        }
        Secret secret = Secret.of(hmac);
        String devSecret = DevSecretFile.peek(devDir.resolve(DEV_SECRET_FILE));
        if (secret.matches(TEST_SECRET)) {
            r.problem(AUDIT_CRYPTO_SECRET, AUDIT_CRYPTO_SECRET + " is the documented test secret, which is public: "
                    + envName + " needs a secret of its own");
        } else if (devSecret != null && secret.matches(devSecret)) {
            r.problem(AUDIT_CRYPTO_SECRET, AUDIT_CRYPTO_SECRET + " is the development secret of "
                    + devDir.resolve(DEV_SECRET_FILE) + ", which must never be used in " + envName);
        }
        return secret;
    }
}
