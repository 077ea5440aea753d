package io.github.infisicaljca.audit.config;

import static io.github.infisicaljca.audit.config.AuditConfigFactory.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.audit.FallbackPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every environment's defaults, the overrides, and every validation rule, on given maps only. */
class AuditConfigFactoryTest {
    static final String URL = "https://kms.acme.internal";
    static final String TOKEN = "st.tok-4c1b9e0f7a2d6e5b8c3f";
    static final String CLIENT_ID = "0b0e9d2a-2a39-4c0e-9b0c-6f3d5d5b8a11";
    static final String CLIENT_SECRET = "cs-7e6d5c4b3a2f1e0d9c8b";
    static final String SIGN_KEY = "5f1b3a9e-8c2d-4e7f-9a0b-1c2d3e4f5a6b";
    static final String ENC_KEY = "a7c3e1f9-2b4d-4f6a-8c0e-9d1b3f5a7c9e";
    static final String PROD_SECRET = "Qm9vdHN0cmFwLWF1ZGl0LWhtYWMta2V5LTIwMjQ"; // 39 characters
    static final List<String> SECRETS = List.of(TOKEN, CLIENT_SECRET, PROD_SECRET);

    @TempDir
    Path dir;

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, String> fullKms(String... extra) {
        Map<String, String> m = env(INFISICAL_URL, URL, INFISICAL_UNIVERSAL_AUTH_CLIENT_ID, CLIENT_ID,
                INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, CLIENT_SECRET, KMS_SIGNING_KEY_ID, SIGN_KEY,
                AUDIT_CRYPTO_SECRET, PROD_SECRET);
        m.putAll(env(extra));
        return m;
    }

    /** The refusal, after checking that its message names nothing secret. */
    AuditConfigException refused(String environment, Map<String, String> env) {
        AuditConfigException e = assertThrows(AuditConfigException.class,
                () -> AuditConfigFactory.create(environment, env, dir));
        for (String v : env.values()) {
            boolean secret = SECRETS.contains(v) || v.equals(env.get(AUDIT_CRYPTO_SECRET))
                    || v.equals(env.get(INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET)) || v.equals(env.get(INFISICAL_ACCESS_TOKEN));
            if (secret && v.strip().length() > 3) {
                assertFalse(e.getMessage().contains(v.strip()), "message leaks a secret: " + e.getMessage());
            }
        }
        assertEquals("invalid audit configuration: " + String.join("; ", e.problems()), e.getMessage());
        return e;
    }

    static void assertProblem(AuditConfigException e, String... fragments) {
        for (String p : e.problems()) {
            boolean all = true;
            for (String f : fragments) {
                all &= p.contains(f);
            }
            if (all) {
                return;
            }
        }
        fail("no problem contains " + List.of(fragments) + " in " + e.problems());
    }

    // ---- environment names

    @ParameterizedTest
    @CsvSource({"development,DEVELOPMENT", "DEV,DEVELOPMENT", "' Dev ',DEVELOPMENT", "staging,STAGING", "Stage,STAGING",
            "PRODUCTION,PRODUCTION", "prod,PRODUCTION", "test,TEST", "TeSt,TEST"})
    void environmentNamesAndAliasesAreCaseInsensitive(String name, AuditEnvironment expected) {
        assertEquals(expected, AuditEnvironment.parse(name));
        assertEquals(expected, AuditConfigFactory.create(name, fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY), dir).environment());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "qa", "develop", "production2", "local"})
    void unknownEnvironmentNamesTheAcceptedValues(String name) {
        AuditConfigException e = assertThrows(AuditConfigException.class, () -> AuditConfigFactory.create(name, env(), dir));
        assertProblem(e, "development (dev), staging (stage), production (prod), test");
        assertThrows(AuditConfigException.class, () -> AuditEnvironment.parse(null));
    }

    // ---- development

    @Test
    void developmentDefaultsSignWithHmacAndADevSecretFile() throws Exception {
        SecurityConfig c = AuditConfigFactory.create("development", env(), dir);
        assertEquals(AuditEnvironment.DEVELOPMENT, c.environment());
        assertFalse(c.kms().enabled());
        assertEquals(FallbackPolicy.HMAC_WHEN_KMS_DISABLED, c.fallbackPolicy());
        assertFalse(c.enableLogEncryption());
        assertTrue(c.enableIntegrityVerification());
        assertEquals("SHA-256", c.hashAlgorithm());
        String secret = c.hmacSecret().reveal();
        assertEquals(32, Base64.getUrlDecoder().decode(secret).length);
        assertEquals(secret, Files.readString(dir.resolve(DEV_SECRET_FILE), StandardCharsets.UTF_8).strip());
    }

    @Test
    void devSecretFileIsCreatedOnceWithALoudWarningAndReusedAfterwards() {
        Path nested = dir.resolve("a").resolve("b");
        String first;
        try (LogCapture log = new LogCapture()) {
            first = AuditConfigFactory.create("dev", env(), nested).hmacSecret().reveal();
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            String warning = log.warnings().get(0).toLowerCase();
            assertTrue(warning.contains("development") && warning.contains("never be used in production"), warning);
            assertTrue(warning.contains(nested.resolve(DEV_SECRET_FILE).toString().toLowerCase()), warning);
            assertFalse(warning.contains(first.toLowerCase()), "the warning shows the secret");
        }
        try (LogCapture log = new LogCapture()) {
            assertEquals(first, AuditConfigFactory.create("development", env(), nested).hmacSecret().reveal());
            assertEquals(List.of(), log.warnings());
        }
    }

    @Test
    void developmentNeverYieldsADifferentSecretOnALaterCall() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            seen.add(AuditConfigFactory.create("development", env(), dir).hmacSecret().reveal());
            seen.add(AuditConfigFactory.create("dev", env(INFISICAL_URL, URL), dir).hmacSecret().reveal());
        }
        assertEquals(1, seen.size());
        assertEquals(seen.iterator().next(), Files.readString(dir.resolve(DEV_SECRET_FILE)).strip());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(DEV_SECRET_FILE)), files.toList(), "temporary files left behind");
        }
    }

    @Test
    void concurrentFirstStartsAgreeOnOneSecret() throws Exception {
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<String> call = () -> {
                    go.await();
                    return AuditConfigFactory.create("development", env(), dir).hmacSecret().reveal();
                };
                results.add(pool.submit(call));
            }
            go.countDown();
            Set<String> secrets = new HashSet<>();
            for (Future<String> f : results) {
                secrets.add(f.get(1, TimeUnit.MINUTES)); // a bound only against a hang
            }
            assertEquals(1, secrets.size(), "racing starts produced different secrets");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void devSecretFileIsOwnerOnlyOnPosix() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path nested = dir.resolve("home").resolve(".infisical-jca");
        AuditConfigFactory.create("development", env(), nested);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(nested.resolve(DEV_SECRET_FILE))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
    }

    @Test
    void developmentUsesAnExistingFileAndTheVariableFirst() throws Exception {
        Path file = Files.writeString(dir.resolve(DEV_SECRET_FILE), "existing-dev-secret-4711\n");
        try (LogCapture log = new LogCapture()) {
            assertEquals("existing-dev-secret-4711",
                    AuditConfigFactory.create("development", env(), dir).hmacSecret().reveal());
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                AuditConfigFactory.create("development", env(), dir);
                assertTrue(log.warnings().stream().anyMatch(w -> w.contains("accessible to other users")
                        && !w.contains("existing-dev-secret-4711")), log.warnings().toString());
            }
            assertFalse(log.warnings().stream().anyMatch(w -> w.contains("Created")), "an existing file was replaced");
        }
        Path other = dir.resolve("other");
        SecurityConfig c = AuditConfigFactory.create("development", env(AUDIT_CRYPTO_SECRET, "my-own-dev-key-1"), other);
        assertTrue(c.hmacSecret().matches("my-own-dev-key-1"));
        assertFalse(Files.exists(other), "a file was made although AUDIT_CRYPTO_SECRET is set");
    }

    @Test
    void anEmptyDevSecretFileIsAnErrorAndIsNotReplaced() throws Exception {
        Path file = dir.resolve(DEV_SECRET_FILE);
        Files.writeString(file, "\n");
        assertProblem(refused("development", env()), file.toString(), AUDIT_CRYPTO_SECRET);
        assertEquals("\n", Files.readString(file));
    }

    @Test
    void anUnusableDevSecretDirectoryIsAnError() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        AuditConfigException e = assertThrows(AuditConfigException.class,
                () -> AuditConfigFactory.create("development", env(), notADirectory));
        assertProblem(e, AUDIT_CRYPTO_SECRET, notADirectory.toString());
    }

    @Test
    void anInvalidConfigurationLeavesNoDevSecretFileBehind() {
        refused("development", env(KMS_SIGNING_KEY_ID, "not-a-uuid"));
        assertFalse(Files.exists(dir.resolve(DEV_SECRET_FILE)));
    }

    @Test
    void developmentEnablesTheKmsOnlyWhenEverythingIsSet() {
        SecurityConfig c = AuditConfigFactory.create("development",
                env(INFISICAL_URL, URL, INFISICAL_ACCESS_TOKEN, TOKEN, KMS_SIGNING_KEY_ID, SIGN_KEY), dir);
        assertTrue(c.kms().enabled());
        assertEquals(FallbackPolicy.HMAC_WHEN_KMS_DISABLED, c.fallbackPolicy());
        assertTrue(c.kms().accessToken().matches(TOKEN));
        assertEquals(InfisicalConfig.AuthMethod.ACCESS_TOKEN, c.kms().toProviderConfig().authMethod());
        try (LogCapture log = new LogCapture()) {
            SecurityConfig partial = AuditConfigFactory.create("development",
                    env(INFISICAL_URL, URL, INFISICAL_ACCESS_TOKEN, TOKEN), dir);
            assertFalse(partial.kms().enabled());
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains("KMS signing is off")
                    && w.contains("missing") && w.contains(KMS_SIGNING_KEY_ID) && !w.contains(TOKEN)), log.warnings().toString());
        }
    }

    // ---- test

    @Test
    void testEnvironmentUsesTheFixedPublicTestSecret() {
        SecurityConfig c = AuditConfigFactory.create("test", env(), dir);
        assertEquals(AuditEnvironment.TEST, c.environment());
        assertEquals("infisical-jca-test-secret-not-for-production", c.hmacSecret().reveal());
        assertEquals(FallbackPolicy.HMAC_WHEN_KMS_DISABLED, c.fallbackPolicy());
        assertFalse(c.enableLogEncryption());
        assertFalse(c.enableIntegrityVerification(), "the seed turns integrity verification off in test");
        assertFalse(c.kms().enabled());
        assertFalse(Files.exists(dir.resolve(DEV_SECRET_FILE)));
        assertTrue(AuditConfigFactory.create("test", env(AUDIT_CRYPTO_SECRET, "ci-secret-123"), dir)
                .hmacSecret().matches("ci-secret-123"));
        assertTrue(AuditConfigFactory.create("test", fullKms(), dir).kms().enabled());
    }

    // ---- staging

    @Test
    void stagingNeedsTheKmsAndFallsBackWhenItIsUnavailable() {
        SecurityConfig c = AuditConfigFactory.create("stage", fullKms(), dir);
        assertEquals(AuditEnvironment.STAGING, c.environment());
        assertTrue(c.kms().enabled());
        assertTrue(c.kms().usesUniversalAuth());
        assertEquals(FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE, c.fallbackPolicy());
        assertFalse(c.enableLogEncryption());
        assertTrue(c.hmacSecret().matches(PROD_SECRET));
        SecurityConfig encrypted = AuditConfigFactory.create("staging", fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY), dir);
        assertTrue(encrypted.enableLogEncryption());
        assertEquals(ENC_KEY, encrypted.kms().encryptionKeyId());
    }

    @Test
    void stagingReportsEveryMissingSettingAtOnce() {
        AuditConfigException e = refused("staging", env());
        assertEquals(4, e.problems().size(), e.problems().toString());
        assertProblem(e, INFISICAL_URL, "is not set");
        assertProblem(e, "no Infisical credentials", INFISICAL_UNIVERSAL_AUTH_CLIENT_ID, INFISICAL_ACCESS_TOKEN);
        assertProblem(e, KMS_SIGNING_KEY_ID, "is not set");
        assertProblem(e, AUDIT_CRYPTO_SECRET, "is not set");
    }

    // ---- production

    @Test
    void productionSignsWithTheKmsOnlyAndEncrypts() {
        SecurityConfig c = AuditConfigFactory.create("production", fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY), dir);
        assertEquals(AuditEnvironment.PRODUCTION, c.environment());
        assertEquals(FallbackPolicy.KMS_ONLY, c.fallbackPolicy());
        assertTrue(c.enableLogEncryption());
        assertTrue(c.enableIntegrityVerification());
        assertEquals(KmsConfig.DEFAULT_SIGNING_ALGORITHM, c.kms().signingAlgorithm());
        assertEquals("RSASSA_PSS_SHA_256", c.kms().signingAlgorithm());
        assertFalse(Files.exists(dir.resolve(DEV_SECRET_FILE)), "production made a dev secret");
    }

    @Test
    void productionRefusesAMissingSecret() {
        Map<String, String> m = fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY);
        m.remove(AUDIT_CRYPTO_SECRET);
        AuditConfigException e = refused("prod", m);
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertProblem(e, AUDIT_CRYPTO_SECRET, "is not set", "production");
        assertFalse(Files.exists(dir.resolve(DEV_SECRET_FILE)));
    }

    @Test
    void productionSecretsHaveAtLeast32Characters() {
        String short31 = "k".repeat(15) + "9f8e7d6c5b4a3210";
        assertEquals(31, short31.length());
        AuditConfigException e = refused("production",
                fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY, AUDIT_CRYPTO_SECRET, short31));
        assertProblem(e, AUDIT_CRYPTO_SECRET, "at least 32 characters");
        assertFalse(e.getMessage().contains(short31));
        String ok32 = short31 + "z";
        assertTrue(AuditConfigFactory.create("production", fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY, AUDIT_CRYPTO_SECRET, ok32),
                dir).hmacSecret().matches(ok32));
        // Staging has no length rule.
        assertNotNull(AuditConfigFactory.create("staging", fullKms(AUDIT_CRYPTO_SECRET, "short-but-ok"), dir));
    }

    @Test
    void productionEncryptionNeedsAKeyUnlessTurnedOffExplicitly() {
        AuditConfigException e = refused("production", fullKms());
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertProblem(e, KMS_ENCRYPTION_KEY_ID, "is not set", AUDIT_LOG_ENCRYPTION + "=false");
        SecurityConfig off = AuditConfigFactory.create("production", fullKms(AUDIT_LOG_ENCRYPTION, "FALSE"), dir);
        assertFalse(off.enableLogEncryption());
    }

    @Test
    void stagingAndProductionRefuseTheTestAndDevelopmentSecrets() {
        for (String envName : List.of("staging", "production")) {
            assertProblem(refused(envName, fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY, AUDIT_CRYPTO_SECRET, TEST_SECRET)),
                    AUDIT_CRYPTO_SECRET, "test secret");
        }
        String devSecret = AuditConfigFactory.create("development", env(), dir).hmacSecret().reveal();
        AuditConfigException e = refused("production", fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY, AUDIT_CRYPTO_SECRET, devSecret));
        assertProblem(e, AUDIT_CRYPTO_SECRET, "development secret", "never");
        assertFalse(e.getMessage().contains(devSecret));
    }

    // ---- overrides

    @Test
    void fallbackPolicyOverride() {
        assertEquals(FallbackPolicy.KMS_ONLY,
                AuditConfigFactory.create("staging", fullKms(AUDIT_FALLBACK_POLICY, "kms_only"), dir).fallbackPolicy());
        assertEquals(FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE, AuditConfigFactory.create("production",
                fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY, AUDIT_FALLBACK_POLICY, "hmac-when-kms-unavailable"), dir).fallbackPolicy());
        assertProblem(refused("test", env(AUDIT_FALLBACK_POLICY, "KMS_ONLY")), AUDIT_FALLBACK_POLICY, "needs the KMS");
        assertProblem(refused("test", env(AUDIT_FALLBACK_POLICY, "sometimes")), AUDIT_FALLBACK_POLICY,
                "KMS_ONLY, HMAC_WHEN_KMS_DISABLED, HMAC_WHEN_KMS_UNAVAILABLE");
    }

    @Test
    void logEncryptionOverride() {
        Map<String, String> kms = fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY, AUDIT_LOG_ENCRYPTION, "true");
        assertTrue(AuditConfigFactory.create("development", kms, dir).enableLogEncryption());
        assertFalse(AuditConfigFactory.create("staging", fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY, AUDIT_LOG_ENCRYPTION, "false"),
                dir).enableLogEncryption());
        assertProblem(refused("test", env(AUDIT_LOG_ENCRYPTION, "true", KMS_ENCRYPTION_KEY_ID, ENC_KEY)),
                AUDIT_LOG_ENCRYPTION + "=true needs the KMS");
        assertProblem(refused("test", fullKms(AUDIT_LOG_ENCRYPTION, "true")), KMS_ENCRYPTION_KEY_ID, "is not set");
        assertProblem(refused("test", env(AUDIT_LOG_ENCRYPTION, "yes")), AUDIT_LOG_ENCRYPTION, "true or false");
    }

    @Test
    void signingAlgorithmOverride() {
        assertEquals("ECDSA_SHA_384",
                AuditConfigFactory.create("test", fullKms(KMS_SIGNING_ALGORITHM, "ecdsa_sha_384"), dir).kms().signingAlgorithm());
        assertProblem(refused("test", env(KMS_SIGNING_ALGORITHM, "SHA256withRSA")), KMS_SIGNING_ALGORITHM,
                "RSASSA_PKCS1_V1_5_SHA_256");
    }

    @Test
    void tokensAndClientCredentials() {
        Map<String, String> legacy = env(INFISICAL_URL, URL, INFISICAL_TOKEN, TOKEN, KMS_SIGNING_KEY_ID, SIGN_KEY);
        assertTrue(AuditConfigFactory.create("test", legacy, dir).kms().accessToken().matches(TOKEN));
        legacy.put(INFISICAL_ACCESS_TOKEN, TOKEN + "-new");
        assertTrue(AuditConfigFactory.create("test", legacy, dir).kms().accessToken().matches(TOKEN + "-new"));
        Map<String, String> both = fullKms(INFISICAL_ACCESS_TOKEN, TOKEN, INFISICAL_PROJECT_ID, "proj-42");
        InfisicalConfig provider = AuditConfigFactory.create("test", both, dir).kms().toProviderConfig();
        assertEquals(InfisicalConfig.AuthMethod.UNIVERSAL_AUTH, provider.authMethod());
        assertEquals("proj-42", provider.projectId().orElseThrow());
        assertProblem(refused("test", env(INFISICAL_UNIVERSAL_AUTH_CLIENT_ID, CLIENT_ID)),
                INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, "is not");
        assertProblem(refused("test", env(INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, CLIENT_SECRET)),
                INFISICAL_UNIVERSAL_AUTH_CLIENT_ID, "is not");
    }

    // ---- validation

    @Test
    void keyIdsMustBeUuids() {
        AuditConfigException e = refused("test", env(KMS_SIGNING_KEY_ID, "audit-signing", KMS_ENCRYPTION_KEY_ID, "12345"));
        assertProblem(e, KMS_SIGNING_KEY_ID, "UUID");
        assertProblem(e, KMS_ENCRYPTION_KEY_ID, "UUID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://kms.acme.internal", "http://kms.acme.internal", "https://", "kms.acme.internal",
            "https://admin:hunter2-pass@kms.acme.internal", "https://kms.acme.internal/?token=abc"})
    void urlsFollowTheProviderRule(String url) {
        AuditConfigException e = refused("development", env(INFISICAL_URL, url));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith(INFISICAL_URL), e.problems().toString());
        assertFalse(e.getMessage().contains("hunter2-pass") || e.getMessage().contains("abc"), e.getMessage());
        assertFalse(e.getMessage().contains("allowInsecureHttp"), "a switch the audit config does not have");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "http://127.0.0.1:8200/api", "https://kms.acme.internal:8443/infisical"})
    void httpsAndLoopbackHttpAreAccepted(String url) {
        Map<String, String> m = env(INFISICAL_URL, url, INFISICAL_ACCESS_TOKEN, TOKEN, KMS_SIGNING_KEY_ID, SIGN_KEY);
        assertTrue(AuditConfigFactory.create("test", m, dir).kms().enabled());
    }

    @Test
    void everyProblemIsCollectedIntoOneException() {
        AuditConfigException e = refused("production", env(INFISICAL_URL, "http://kms.acme.internal",
                INFISICAL_ACCESS_TOKEN, "changeme", KMS_SIGNING_KEY_ID, "nope", AUDIT_CRYPTO_SECRET, "tiny-secret-1",
                AUDIT_LOG_ENCRYPTION, "maybe"));
        assertEquals(5, e.problems().size(), e.problems().toString());
        assertFalse(e.getMessage().contains("tiny-secret-1"));
        assertTrue(e instanceof IllegalArgumentException);
    }

    @Test
    void blankValuesAreRefused() {
        AuditConfigException e = refused("development", env(INFISICAL_URL, "  ", AUDIT_CRYPTO_SECRET, ""));
        assertProblem(e, INFISICAL_URL, "empty");
        assertProblem(e, AUDIT_CRYPTO_SECRET, "empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"changeme", "CHANGEME", "  change-me  ", "ChangeMe123", "your-secret-here", "secret", "Password",
            "placeholder", "TODO", "xxx", "XXXXXXXX", "example", "<your-token>", "<secret>", "${AUDIT_SECRET}", "{{ secret }}",
            "$AUDIT_CRYPTO_SECRET", "your-api-key", "your_token", "***MASKED***", "****", "null", "undefined", "\"\"", "..."})
    void placeholderSecretsAreRefusedWithoutEchoingThem(String value) {
        // Not refused(...): a value such as "placeholder" is also a word of the message itself.
        AuditConfigException e = assertThrows(AuditConfigException.class,
                () -> AuditConfigFactory.create("development", env(AUDIT_CRYPTO_SECRET, value), dir));
        assertEquals(1, e.problems().size());
        assertProblem(e, AUDIT_CRYPTO_SECRET, "placeholder");
        assertFalse(e.getMessage().contains("'" + value.strip()), e.getMessage());
        assertFalse(Files.exists(dir.resolve(DEV_SECRET_FILE)), "a placeholder must not be replaced by a dev secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {INFISICAL_URL, INFISICAL_ACCESS_TOKEN, INFISICAL_TOKEN, INFISICAL_UNIVERSAL_AUTH_CLIENT_ID,
            INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, INFISICAL_PROJECT_ID, KMS_SIGNING_KEY_ID, KMS_ENCRYPTION_KEY_ID,
            KMS_SIGNING_ALGORITHM, AUDIT_CRYPTO_SECRET, AUDIT_FALLBACK_POLICY, AUDIT_LOG_ENCRYPTION})
    void placeholdersAreRefusedInEveryVariable(String variable) {
        for (String value : List.of("change-me", "<value>", "your-value-here")) {
            AuditConfigException e = refused("test", env(variable, value));
            assertTrue(e.problems().get(0).startsWith(variable + " "), e.problems().toString());
            assertProblem(e, "placeholder");
        }
    }

    @Test
    void sampleHostsAndTheNilUuidArePlaceholders() {
        assertProblem(refused("test", env(INFISICAL_URL, "https://kms.example.com")), INFISICAL_URL, "placeholder");
        assertProblem(refused("test", env(INFISICAL_URL, "https://infisical.example")), INFISICAL_URL, "placeholder");
        assertProblem(refused("test", env(KMS_SIGNING_KEY_ID, "00000000-0000-0000-0000-000000000000")),
                KMS_SIGNING_KEY_ID, "placeholder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Zx9-secretive-7Qp", "passport-4711-abc", "todo-list-service-key", "my-secret-9f8a7b6c",
            "x", "examples-are-not-secrets-42"})
    void realLookingValuesAreNotMistakenForPlaceholders(String value) {
        assertTrue(AuditConfigFactory.create("test", env(AUDIT_CRYPTO_SECRET, value), dir).hmacSecret().matches(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"development", "test", "staging", "production"})
    void aSecretOfOneRepeatedCharacterIsRefusedEverywhere(String envName) {
        for (String value : List.of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1111111111111111111111111111111111111111", "zz")) {
            AuditConfigException e = assertThrows(AuditConfigException.class,
                    () -> AuditConfigFactory.create(envName, fullKms(KMS_ENCRYPTION_KEY_ID, ENC_KEY, AUDIT_CRYPTO_SECRET,
                            value), dir));
            assertEquals(1, e.problems().size(), e.problems().toString());
            assertProblem(e, AUDIT_CRYPTO_SECRET, "one character repeated");
            assertFalse(e.getMessage().contains(value), e.getMessage());
        }
    }

    @Test
    void theSecretRulesAreOneFunctionOthersCanUse() {
        int min = SecurityConfig.MIN_PRODUCTION_SECRET_LENGTH;
        assertTrue(HmacSecretRules.problem("S", "k9-Lq2vX8pZr4tWy7uBn3mCd6fGh1jKs0aE", min).isEmpty());
        assertTrue(HmacSecretRules.problem("S", "x", 1).isEmpty());
        assertEquals("S is set but empty: remove it or give it a real value",
                HmacSecretRules.problem("S", " ", min).orElseThrow());
        assertTrue(HmacSecretRules.problem("S", "...", min).orElseThrow().startsWith("S looks like a placeholder"));
        assertTrue(HmacSecretRules.problem("S", "########", 1).orElseThrow().contains("placeholder"));
        assertTrue(HmacSecretRules.problem("S", "qqqqqqqq", 1).orElseThrow().startsWith("S is one character repeated"));
        assertTrue(HmacSecretRules.problem("S", "k9-Lq2vX8pZr", min).orElseThrow()
                .startsWith("S is too short: it needs at least 32 characters"));
        for (String v : List.of("...", "qqqqqqqq", "k9-Lq2vX8pZr")) {
            assertFalse(HmacSecretRules.problem("S", v, min).orElseThrow().contains(v));
        }
    }

    @Test
    void theHmacSecretIsUsedExactlyAsGiven() {
        try (LogCapture log = new LogCapture()) {
            SecurityConfig c = AuditConfigFactory.create("test", env(AUDIT_CRYPTO_SECRET, " padded-secret-1 "), dir);
            assertTrue(c.hmacSecret().matches(" padded-secret-1 "));
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains("white space") && !w.contains("padded-secret-1")));
        }
    }
}
