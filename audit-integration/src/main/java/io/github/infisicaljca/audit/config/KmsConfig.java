package io.github.infisicaljca.audit.config;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where and how audit events are signed (and optionally encrypted) by Infisical KMS. Immutable;
 * the constructor checks the record's own consistency and throws {@link AuditConfigException}
 * listing every problem.
 *
 * <p>When {@code enabled}, {@code url}, credentials (an access token, or a Universal Auth
 * client id and secret) and {@code signingKeyId} are required. Key ids are UUIDs.
 * {@code signingAlgorithm} {@code null} means {@value #DEFAULT_SIGNING_ALGORITHM} (the
 * original's default); {@code requestTimeout} {@code null} means 15 s, the bound on one whole
 * KMS operation, retries included (1 ms to 1 h).
 *
 * <p>{@link #toString()} is the {@link #sanitized()} view: secrets and URL credentials show as
 * {@value Secret#MASK}.
 *
 * @param enabled         whether events are signed by the KMS at all
 * @param url             the Infisical server's base URL; may be {@code null} when disabled
 * @param accessToken     a ready access token, or {@code null}
 * @param clientId        Universal Auth client id, or {@code null}; given together with clientSecret
 * @param clientSecret    Universal Auth client secret, or {@code null}
 * @param projectId       the Infisical project, or {@code null}
 * @param signingKeyId    the sign-verify key's id (UUID); may be {@code null} when disabled
 * @param encryptionKeyId the encrypt-decrypt key's id (UUID) for event encryption, or {@code null}
 * @param signingAlgorithm an Infisical signing algorithm name, see {@link #SIGNING_ALGORITHMS}
 * @param requestTimeout  bound on one whole KMS operation
 */
public record KmsConfig(boolean enabled, String url, Secret accessToken, String clientId,
        Secret clientSecret, String projectId, String signingKeyId, String encryptionKeyId,
        String signingAlgorithm, Duration requestTimeout) {

    /** The original's default signing algorithm. */
    public static final String DEFAULT_SIGNING_ALGORITHM = "RSASSA_PSS_SHA_256";
    /** The provider's default bound on one KMS operation. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** The Infisical signing algorithm names accepted for audit signatures. */
    public static final List<String> SIGNING_ALGORITHMS = List.of(
            "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
            "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
            "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512");
    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofHours(1);
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * Fills in the default algorithm and request timeout and checks the settings.
     *
     * @param enabled         whether events are signed by the KMS at all
     * @param url             the Infisical server's base URL; may be {@code null} when disabled
     * @param accessToken     a ready access token, or {@code null}
     * @param clientId        Universal Auth client id, or {@code null}; given together with clientSecret
     * @param clientSecret    Universal Auth client secret, or {@code null}
     * @param projectId       the Infisical project, or {@code null}
     * @param signingKeyId    the sign-verify key's id (UUID); may be {@code null} when disabled
     * @param encryptionKeyId the encrypt-decrypt key's id (UUID) for event encryption, or {@code null}
     * @param signingAlgorithm an Infisical signing algorithm name, see {@link #SIGNING_ALGORITHMS}
     * @param requestTimeout  bound on one whole KMS operation
     * @throws AuditConfigException when they are inconsistent
     */
    public KmsConfig {
        signingAlgorithm = signingAlgorithm == null ? DEFAULT_SIGNING_ALGORITHM : signingAlgorithm;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        List<String> problems = new ArrayList<>();
        if (!SIGNING_ALGORITHMS.contains(signingAlgorithm)) {
            problems.add("kms.signingAlgorithm '" + signingAlgorithm + "' is not one of "
                    + String.join(", ", SIGNING_ALGORITHMS));
        }
        if (requestTimeout.compareTo(Duration.ofMillis(1)) < 0 || requestTimeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            problems.add("kms.requestTimeout must be between 1 ms and 1 h, not " + requestTimeout);
        }
        checkKeyId("kms.signingKeyId", signingKeyId, problems);
        checkKeyId("kms.encryptionKeyId", encryptionKeyId, problems);
        if ((clientId == null) != (clientSecret == null)) {
            problems.add("kms.clientId and kms.clientSecret go together: give both or neither");
        }
        if (enabled) {
            if (url == null) {
                problems.add("kms.url is required when the KMS is enabled");
            }
            if (accessToken == null && clientId == null && clientSecret == null) {
                problems.add("kms credentials are required when the KMS is enabled: "
                        + "an access token, or a client id and client secret");
            }
            if (signingKeyId == null) {
                problems.add("kms.signingKeyId is required when the KMS is enabled");
            }
        }
        if (!problems.isEmpty()) {
            throw new AuditConfigException(problems);
        }
    }

    /** {@return no KMS: events are signed with the local HMAC (when the policy allows)} */
    public static KmsConfig disabled() {
        return new KmsConfig(false, null, null, null, null, null, null, null, null, null);
    }

    /** {@return whether the client credentials (which renew) are used rather than the access token} */
    public boolean usesUniversalAuth() {
        return clientId != null;
    }

    /**
     * The provider configuration for this KMS, built from these values alone (no system
     * properties, no environment): URL, credentials (client credentials win over a token, as in
     * the provider), project id and request timeout; every other setting keeps the provider's
     * default.
     *
     * @throws AuditConfigException when the KMS is disabled, or the provider refuses a value
     *         (for example {@code http://} to a non-loopback host); its problems name the
     *         environment variable and never contain a secret
     * @return the provider configuration
     */
    public InfisicalConfig toProviderConfig() {
        if (!enabled) {
            throw new AuditConfigException("the KMS is disabled, so there is no provider configuration: "
                    + "set INFISICAL_URL, credentials and KMS_SIGNING_KEY_ID to enable it");
        }
        InfisicalConfig.Builder b = InfisicalConfig.builder().withoutAmbientSources()
                .url(url)
                .requestTimeout(requestTimeout);
        if (usesUniversalAuth()) {
            b.clientId(clientId).clientSecret(clientSecret.reveal());
        } else {
            b.accessToken(accessToken.reveal());
        }
        if (projectId != null) {
            b.projectId(projectId);
        }
        try {
            return b.build();
        } catch (InfisicalConfigException e) {
            // Not chained: the provider's message may echo the raw URL.
            throw new AuditConfigException(ProviderProblems.translate(e, url, accessToken, clientSecret));
        }
    }

    /** {@return every setting in a fixed order, secrets as {@value Secret#MASK}, URL credentials masked} */
    public Map<String, String> sanitized() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("enabled", Boolean.toString(enabled));
        m.put("url", Masking.url(url));
        m.put("auth", usesUniversalAuth() ? "universal-auth" : accessToken != null ? "access-token" : Masking.UNSET);
        m.put("accessToken", Masking.secret(accessToken));
        m.put("clientId", Masking.plain(clientId));
        m.put("clientSecret", Masking.secret(clientSecret));
        m.put("projectId", Masking.plain(projectId));
        m.put("signingKeyId", Masking.plain(signingKeyId));
        m.put("encryptionKeyId", Masking.plain(encryptionKeyId));
        m.put("signingAlgorithm", signingAlgorithm);
        m.put("requestTimeoutMillis", Long.toString(requestTimeout.toMillis()));
        return m;
    }

    @Override
    public String toString() {
        return "KmsConfig" + sanitized();
    }

    private static void checkKeyId(String component, String id, List<String> problems) {
        if (id != null && !UUID.matcher(id).matches()) {
            problems.add(component + " '" + id + "' is not a UUID");
        }
    }
}
