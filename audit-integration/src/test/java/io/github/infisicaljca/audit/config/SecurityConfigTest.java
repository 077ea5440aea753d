package io.github.infisicaljca.audit.config;

import static org.junit.jupiter.api.Assertions.*;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.FallbackPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The records' own rules, the sanitized view and the provider configuration they make. */
class SecurityConfigTest {
    static final String TOKEN = "st.tok-4c1b9e0f7a2d6e5b8c3f";
    static final String CLIENT_ID = "0b0e9d2a-2a39-4c0e-9b0c-6f3d5d5b8a11";
    static final String CLIENT_SECRET = "cs-7e6d5c4b3a2f1e0d9c8b";
    static final String HMAC = "hm-0123456789abcdef0123456789abcdef";
    static final String SIGN_KEY = "5f1b3a9e-8c2d-4e7f-9a0b-1c2d3e4f5a6b";
    static final String ENC_KEY = "a7c3e1f9-2b4d-4f6a-8c0e-9d1b3f5a7c9e";

    static KmsConfig kms(String url, Secret token, String clientId, Secret clientSecret) {
        return new KmsConfig(true, url, token, clientId, clientSecret, "proj-1", SIGN_KEY, ENC_KEY, null,
                Duration.ofSeconds(7));
    }

    static SecurityConfig config(KmsConfig kms) {
        return new SecurityConfig(AuditEnvironment.PRODUCTION, true, true, "SHA-256", FallbackPolicy.KMS_ONLY,
                Secret.of(HMAC), kms);
    }

    @Test
    void sanitizedListsEverySettingInOrderWithSecretsMasked() {
        SecurityConfig c = config(kms("https://kms.acme.internal", Secret.of(TOKEN), CLIENT_ID, Secret.of(CLIENT_SECRET)));
        Map<String, String> m = c.sanitized();
        assertEquals(List.of("environment", "enableIntegrityVerification", "enableLogEncryption", "hashAlgorithm",
                "fallbackPolicy", "hmacSecret", "kms.enabled", "kms.url", "kms.auth", "kms.accessToken", "kms.clientId",
                "kms.clientSecret", "kms.projectId", "kms.signingKeyId", "kms.encryptionKeyId", "kms.signingAlgorithm",
                "kms.requestTimeoutMillis"), List.copyOf(m.keySet()));
        assertEquals("production", m.get("environment"));
        assertEquals("KMS_ONLY", m.get("fallbackPolicy"));
        assertEquals(Secret.MASK, m.get("hmacSecret"));
        assertEquals(Secret.MASK, m.get("kms.accessToken"));
        assertEquals(Secret.MASK, m.get("kms.clientSecret"));
        assertEquals("***MASKED***", m.get("kms.clientSecret"));
        assertEquals(CLIENT_ID, m.get("kms.clientId"));
        assertEquals("universal-auth", m.get("kms.auth"));
        assertEquals("RSASSA_PSS_SHA_256", m.get("kms.signingAlgorithm"));
        assertEquals("7000", m.get("kms.requestTimeoutMillis"));
        for (String view : List.of(c.toString(), m.toString(), c.kms().toString())) {
            for (String secret : List.of(TOKEN, CLIENT_SECRET, HMAC)) {
                assertFalse(view.contains(secret), "leaks a secret: " + view);
            }
        }
        assertEquals("SecurityConfig" + m, c.toString());
        assertTrue(c.toString().contains("hmacSecret=***MASKED***"));
    }

    @Test
    void absentValuesShowAsUnset() {
        SecurityConfig c = new SecurityConfig(AuditEnvironment.TEST, false, false, null,
                FallbackPolicy.HMAC_WHEN_KMS_DISABLED, Secret.of(HMAC), KmsConfig.disabled());
        Map<String, String> m = c.sanitized();
        assertEquals("SHA-256", c.hashAlgorithm());
        assertEquals("false", m.get("kms.enabled"));
        for (String key : List.of("kms.url", "kms.auth", "kms.accessToken", "kms.clientId", "kms.clientSecret",
                "kms.signingKeyId")) {
            assertEquals("<unset>", m.get(key), key);
        }
        assertEquals("access-token", kms("https://kms.acme.internal", Secret.of(TOKEN), null, null).sanitized().get("auth"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://admin:p4ss-w0rd@kms.acme.internal/base|https://***MASKED***@kms.acme.internal/base",
            "https://admin:p4ss-w0rd@kms.acme.internal:8443|https://***MASKED***@kms.acme.internal:8443",
            "https://tok3n-only@kms.acme.internal/|https://***MASKED***@kms.acme.internal/",
            "https://kms.acme.internal/x?token=s3cr3t-q|https://kms.acme.internal/x?***MASKED***",
            "https://admin:pa/ss@w0rd@kms.acme.internal|https://***MASKED***@kms.acme.internal",
            "admin:p4ss-w0rd@kms.acme.internal|***MASKED***@kms.acme.internal",
            "https://kms.acme.internal:8443/infisical|https://kms.acme.internal:8443/infisical"})
    void credentialsInsideUrlsAreMasked(String url, String shown) {
        KmsConfig k = new KmsConfig(false, url, null, null, null, null, null, null, null, null);
        assertEquals(shown, k.sanitized().get("url"));
        SecurityConfig c = new SecurityConfig(AuditEnvironment.DEVELOPMENT, true, false, "SHA-256",
                FallbackPolicy.HMAC_WHEN_KMS_DISABLED, Secret.of(HMAC), k);
        assertEquals(shown, c.sanitized().get("kms.url"));
        for (String secret : List.of("p4ss", "w0rd", "tok3n", "s3cr3t")) {
            assertFalse(c.toString().contains(secret), c.toString());
        }
    }

    @Test
    void toProviderConfigWithAToken() {
        InfisicalConfig p = kms("https://kms.acme.internal/api/", Secret.of(TOKEN), null, null).toProviderConfig();
        assertEquals(URI.create("https://kms.acme.internal"), p.url());
        assertEquals(InfisicalConfig.AuthMethod.ACCESS_TOKEN, p.authMethod());
        assertTrue(p.accessToken().orElseThrow().matches(TOKEN));
        assertEquals("proj-1", p.projectId().orElseThrow());
        assertEquals(Duration.ofSeconds(7), p.requestTimeout());
    }

    @Test
    void toProviderConfigPrefersClientCredentialsAndIgnoresAmbientSettings() {
        String before = System.getProperty("infisical.maxRetries");
        System.setProperty("infisical.maxRetries", "7");
        try {
            InfisicalConfig p = kms("http://127.0.0.1:8200", Secret.of(TOKEN), CLIENT_ID, Secret.of(CLIENT_SECRET))
                    .toProviderConfig();
            assertEquals(InfisicalConfig.AuthMethod.UNIVERSAL_AUTH, p.authMethod());
            assertEquals(CLIENT_ID, p.clientId().orElseThrow());
            assertTrue(p.clientSecret().orElseThrow().matches(CLIENT_SECRET));
            assertEquals(3, p.maxRetries(), "a system property leaked into the audit's provider config");
        } finally {
            if (before == null) {
                System.clearProperty("infisical.maxRetries");
            } else {
                System.setProperty("infisical.maxRetries", before);
            }
        }
    }

    @Test
    void toProviderConfigTranslatesTheProvidersRefusals() {
        AuditConfigException http = assertThrows(AuditConfigException.class,
                () -> kms("http://kms.acme.internal", Secret.of(TOKEN), null, null).toProviderConfig());
        assertTrue(http.problems().get(0).startsWith("INFISICAL_URL"), http.problems().toString());
        assertTrue(http.getMessage().contains("loopback") && !http.getMessage().contains("allowInsecureHttp"));
        AuditConfigException userInfo = assertThrows(AuditConfigException.class,
                () -> kms("https://admin:p4ss-w0rd@kms.acme.internal", Secret.of(TOKEN), null, null).toProviderConfig());
        assertFalse(userInfo.getMessage().contains("p4ss-w0rd"), userInfo.getMessage());
        assertNull(userInfo.getCause());
        AuditConfigException disabled = assertThrows(AuditConfigException.class, () -> KmsConfig.disabled().toProviderConfig());
        assertTrue(disabled.getMessage().contains("disabled"));
    }

    @Test
    void kmsConfigRefusesInconsistentValues() {
        AuditConfigException e = assertThrows(AuditConfigException.class, () -> new KmsConfig(true, null, null,
                CLIENT_ID, null, null, "key-1", "enc", "SHA256withRSA", Duration.ZERO));
        List<String> p = e.problems();
        assertEquals(6, p.size(), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("kms.signingAlgorithm")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("kms.requestTimeout")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("kms.signingKeyId 'key-1' is not a UUID")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("kms.encryptionKeyId")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("kms.clientId and kms.clientSecret")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("kms.url is required")));
        assertThrows(AuditConfigException.class, () -> new KmsConfig(true, "https://kms.acme.internal", null, null, null,
                null, SIGN_KEY, null, null, Duration.ofHours(2)));
        for (String alg : KmsConfig.SIGNING_ALGORITHMS) {
            assertEquals(alg, new KmsConfig(true, "https://kms.acme.internal", Secret.of(TOKEN), null, null, null,
                    SIGN_KEY, null, alg, null).signingAlgorithm());
        }
        assertEquals(9, KmsConfig.SIGNING_ALGORITHMS.size());
    }

    @Test
    void securityConfigRefusesInconsistentCombinations() {
        KmsConfig off = KmsConfig.disabled();
        KmsConfig on = kms("https://kms.acme.internal", Secret.of(TOKEN), null, null);
        KmsConfig onNoEnc = new KmsConfig(true, "https://kms.acme.internal", Secret.of(TOKEN), null, null, null,
                SIGN_KEY, null, null, null);
        assertRefused("KMS_ONLY needs an enabled KMS", AuditEnvironment.DEVELOPMENT, false, FallbackPolicy.KMS_ONLY, HMAC, off);
        assertRefused("needs hmacSecret", AuditEnvironment.DEVELOPMENT, false, FallbackPolicy.HMAC_WHEN_KMS_DISABLED, null, off);
        assertRefused("enableLogEncryption needs", AuditEnvironment.DEVELOPMENT, true, FallbackPolicy.KMS_ONLY, HMAC, onNoEnc);
        assertRefused("production needs an enabled KMS", AuditEnvironment.PRODUCTION, false,
                FallbackPolicy.HMAC_WHEN_KMS_DISABLED, HMAC, off);
        assertRefused("production needs hmacSecret", AuditEnvironment.PRODUCTION, false, FallbackPolicy.KMS_ONLY, null, on);
        assertRefused("staging needs hmacSecret", AuditEnvironment.STAGING, false, FallbackPolicy.KMS_ONLY, null, on);
        AuditConfigException shortSecret = assertRefused("at least 32 characters", AuditEnvironment.PRODUCTION, false,
                FallbackPolicy.KMS_ONLY, "short-hmac-secret-value", on);
        assertFalse(shortSecret.getMessage().contains("short-hmac-secret-value"));
        assertThrows(AuditConfigException.class, () -> new SecurityConfig(AuditEnvironment.TEST, true, false, "SHA-1",
                FallbackPolicy.HMAC_WHEN_KMS_DISABLED, Secret.of(HMAC), off));
        // KMS_ONLY outside staging and production may go without an HMAC secret.
        assertNull(new SecurityConfig(AuditEnvironment.DEVELOPMENT, true, false, null, FallbackPolicy.KMS_ONLY, null, on)
                .hmacSecret());
        assertEquals(config(on), config(kms("https://kms.acme.internal", Secret.of(TOKEN), null, null)));
    }

    private static AuditConfigException assertRefused(String fragment, AuditEnvironment env, boolean encrypt,
            FallbackPolicy policy, String hmac, KmsConfig kms) {
        AuditConfigException e = assertThrows(AuditConfigException.class, () -> new SecurityConfig(env, true, encrypt,
                "SHA-256", policy, hmac == null ? null : Secret.of(hmac), kms));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }
}
