package io.github.infisicaljca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InfisicalConfigTest {
    private static final String TOKEN = "tok-secret-value-123";
    private static final String CLIENT_SECRET = "cs-secret-value-456";

    /** A builder that sees no real system property or environment variable. */
    private static InfisicalConfig.Builder isolated() {
        return InfisicalConfig.builder().withoutAmbientSources();
    }

    private static InfisicalConfigException invalid(InfisicalConfig.Builder b) {
        return assertThrows(InfisicalConfigException.class, b::build);
    }

    @Test
    void defaultsMatchTheContract() {
        InfisicalConfig c = isolated().url("https://kms.example.com").accessToken(TOKEN).build();
        assertEquals(Duration.ofMillis(5000), c.connectTimeout());
        assertEquals(Duration.ofMillis(15000), c.requestTimeout());
        assertEquals(3, c.maxRetries());
        assertEquals(4096, c.maxPayloadBytes());
        assertEquals(VerifyMode.LOCAL, c.verify());
        assertFalse(c.allowInsecureHttp());
        assertTrue(c.caCertificates().isEmpty());
        assertTrue(c.projectId().isEmpty());
        assertEquals(InfisicalConfig.AuthMethod.ACCESS_TOKEN, c.authMethod());
        assertEquals(TOKEN, c.accessToken().orElseThrow().reveal());
    }

    @Test
    void layersResolveInContractOrder() {
        Properties sys = new Properties();
        Map<String, String> env = Map.of("INFISICAL_URL", "https://env.example.com",
                "INFISICAL_ACCESS_TOKEN", TOKEN, "INFISICAL_PROJECT_ID", "p-env");
        sys.setProperty("infisical.url", "https://sys.example.com");
        sys.setProperty("infisical.maxRetries", "5");
        sys.setProperty("infisical.projectId", "p-sys");

        InfisicalConfig envOnly = InfisicalConfig.builder().systemProperties(new Properties()).environment(env).build();
        assertEquals(URI.create("https://env.example.com"), envOnly.url());
        assertEquals("p-env", envOnly.projectId().orElseThrow());

        InfisicalConfig withSys = InfisicalConfig.builder().systemProperties(sys).environment(env).build();
        assertEquals(URI.create("https://sys.example.com"), withSys.url());
        assertEquals(5, withSys.maxRetries());

        InfisicalConfig withConfigure = InfisicalConfig.builder().systemProperties(sys).environment(env)
                .configure("--infisical.url=https://conf.example.com\ninfisical.maxRetries=1").build();
        assertEquals(URI.create("https://conf.example.com"), withConfigure.url());
        assertEquals(1, withConfigure.maxRetries());
        assertEquals("p-sys", withConfigure.projectId().orElseThrow());

        InfisicalConfig explicit = InfisicalConfig.builder().systemProperties(sys).environment(env)
                .configure("--infisical.url=https://conf.example.com").url("https://explicit.example.com")
                .maxRetries(0).build();
        assertEquals(URI.create("https://explicit.example.com"), explicit.url());
        assertEquals(0, explicit.maxRetries());
    }

    @Test
    void infisicalTokenIsTheFallbackVariableAndBlankMeansUnset() {
        Map<String, String> env = Map.of("INFISICAL_URL", "https://k.example.com", "INFISICAL_TOKEN", "fallback-token",
                "INFISICAL_ACCESS_TOKEN", "  ");
        InfisicalConfig c = InfisicalConfig.builder().systemProperties(new Properties()).environment(env).build();
        assertEquals("fallback-token", c.accessToken().orElseThrow().reveal());

        Map<String, String> both = Map.of("INFISICAL_URL", "https://k.example.com", "INFISICAL_TOKEN", "fallback-token",
                "INFISICAL_ACCESS_TOKEN", "primary-token");
        InfisicalConfig p = InfisicalConfig.builder().systemProperties(new Properties()).environment(both).build();
        assertEquals("primary-token", p.accessToken().orElseThrow().reveal());
    }

    @Test
    void clientCredentialsWinOverAToken() {
        Map<String, String> env = Map.of("INFISICAL_URL", "https://k.example.com", "INFISICAL_TOKEN", TOKEN,
                "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "id-1", "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", CLIENT_SECRET);
        InfisicalConfig c = InfisicalConfig.builder().systemProperties(new Properties()).environment(env).build();
        assertEquals(InfisicalConfig.AuthMethod.UNIVERSAL_AUTH, c.authMethod());
        assertEquals("id-1", c.clientId().orElseThrow());
        assertEquals(CLIENT_SECRET, c.clientSecret().orElseThrow().reveal());
        assertTrue(c.accessToken().isEmpty(), "the token is not used when client credentials are present");
    }

    @ParameterizedTest
    @CsvSource({
        "https://kms.example.com,            https://kms.example.com",
        "https://kms.example.com/,           https://kms.example.com",
        "https://kms.example.com/api,        https://kms.example.com",
        "https://kms.example.com/api/,       https://kms.example.com",
        "HTTPS://kms.example.com:8443/infisical/api, https://kms.example.com:8443/infisical",
        "http://localhost:8080,              http://localhost:8080",
        "http://127.0.0.9:1/,                http://127.0.0.9:1",
        "http://[::1]:9000,                  http://[::1]:9000",
    })
    void urlIsNormalised(String given, String expected) {
        InfisicalConfig c = isolated().url(given).accessToken(TOKEN).build();
        assertEquals(URI.create(expected), c.url());
        assertEquals(URI.create(expected + "/api"), c.apiUrl());
    }

    @Test
    void plainHttpToARemoteHostIsRefusedUnlessAllowed() {
        InfisicalConfigException e = invalid(isolated().url("http://kms.example.com").accessToken(TOKEN));
        assertTrue(e.getMessage().contains("infisical.allowInsecureHttp"), e.getMessage());
        InfisicalConfig allowed = isolated().url("http://kms.example.com").accessToken(TOKEN).allowInsecureHttp(true).build();
        assertEquals("http", allowed.url().getScheme());
    }

    /** DNS decides where these names go, so they are remote hosts as far as plain http is concerned. */
    @ParameterizedTest
    @ValueSource(strings = {"http://kms.localhost:8080", "http://localhost.:8080", "http://127.0.0.1.nip.io:8080",
        "http://localhost.example.com:8080"})
    void plainHttpIsOnlyForLiteralLoopbackAddresses(String url) {
        InfisicalConfigException e = invalid(isolated().url(url).accessToken(TOKEN));
        assertTrue(e.getMessage().contains("non-loopback host"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"kms.example.com", "ftp://kms.example.com", "https://", "https://kms.example.com/?x=1",
        "https://exa mple.com"})
    void malformedUrlsAreRefusedNamingTheProperty(String url) {
        InfisicalConfigException e = invalid(isolated().url(url).accessToken(TOKEN));
        assertTrue(e.getMessage().contains("infisical.url"), e.getMessage());
    }

    @Test
    void urlWithCredentialsIsRefusedWithoutEchoingThem() {
        InfisicalConfigException e = invalid(isolated().url("https://user:hunter2@kms.example.com").accessToken(TOKEN));
        assertTrue(e.getMessage().contains("user info"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aQueryIsRefusedWithoutEchoingIt() {
        InfisicalConfigException e = invalid(isolated().url("https://kms.example.com/?token=hunter2").accessToken(TOKEN));
        assertTrue(e.getMessage().contains("query"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void missingUrlAndCredentialsAreReportedTogether() {
        InfisicalConfigException e = invalid(isolated());
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).contains("INFISICAL_URL"), e.getMessage());
        assertTrue(e.problems().get(1).startsWith("no credentials"), e.getMessage());
        assertTrue(e.problems().get(1).contains("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID"), e.getMessage());
    }

    @Test
    void halfOfTheClientCredentialsIsAnError() {
        assertTrue(invalid(isolated().url("https://k.example.com").clientId("id")).getMessage()
                .contains("infisical.clientSecret"));
        InfisicalConfigException e = invalid(isolated().url("https://k.example.com").clientSecret(CLIENT_SECRET));
        assertTrue(e.getMessage().contains("infisical.clientId"), e.getMessage());
        assertFalse(e.getMessage().contains(CLIENT_SECRET), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "infisical.connectTimeoutMillis, soon, whole number",
        "infisical.connectTimeoutMillis, 0, between 1 and",
        "infisical.requestTimeoutMillis, -5, between 1 and",
        "infisical.maxRetries, 11, between 0 and 10",
        "infisical.maxRetries, 2.5, whole number",
        "infisical.maxPayloadBytes, 10, between 64 and",
        "infisical.maxPayloadBytes, 1048577, between 64 and 1048576",
        "infisical.verify, sometimes, 'local' or 'remote'",
        "infisical.allowInsecureHttp, yes, true or false",
    })
    void badValuesNameThePropertyAndTheValue(String key, String value, String expected) {
        InfisicalConfigException e = invalid(isolated().url("https://k.example.com").accessToken(TOKEN).property(key, value));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void verifyModeIsCaseInsensitive() {
        assertEquals(VerifyMode.REMOTE, isolated().url("https://k.example.com").accessToken(TOKEN)
                .property("infisical.verify", "Remote").build().verify());
    }

    @Test
    void unknownInfisicalNamesAreRefusedFromEverySourceWithASuggestion() {
        InfisicalConfigException e = invalid(isolated().url("https://k.example.com").accessToken(TOKEN)
                .configure("--infisical.clientSecert=typo"));
        assertTrue(e.getMessage().contains("unknown configuration key 'infisical.clientSecert'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'infisical.clientSecret'?"), e.getMessage());

        Properties sys = new Properties();
        sys.setProperty("infisical.requestTimeoutMilis", "30000");
        sys.setProperty("infisical.URL", "https://typo.example.com");
        sys.setProperty("java.io.tmpdir", "/tmp");
        sys.setProperty("infisicalx.other", "not ours");
        e = invalid(InfisicalConfig.builder().systemProperties(sys).environment(Map.of())
                .url("https://k.example.com").accessToken(TOKEN));
        assertTrue(e.getMessage().contains("unknown configuration key 'infisical.requestTimeoutMilis' "
                + "(a system property): did you mean 'infisical.requestTimeoutMillis'?"), e.getMessage());
        assertTrue(e.getMessage().contains("'infisical.URL' (a system property): did you mean 'infisical.url'?"),
                e.getMessage());
        assertEquals(2, e.problems().size(), e.problems().toString());

        sys = new Properties();
        sys.setProperty("infisical.zzzzzzzzzz", "x");
        e = invalid(InfisicalConfig.builder().systemProperties(sys).environment(Map.of())
                .url("https://k.example.com").accessToken(TOKEN));
        assertTrue(e.getMessage().contains("'infisical.zzzzzzzzzz' (a system property); the known keys are: "
                + "infisical.url"), e.getMessage());
    }

    @Test
    void configureReadsAPropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("infisical.properties");
        Files.writeString(file, "# comment\ninfisical.url = https://file.example.com/api\ninfisical.accessToken=" + TOKEN
                + "\ninfisical.requestTimeoutMillis=2500\n", StandardCharsets.UTF_8);
        InfisicalConfig c = isolated().configure(file.toString()).build();
        assertEquals(URI.create("https://file.example.com"), c.url());
        assertEquals(Duration.ofMillis(2500), c.requestTimeout());
    }

    @Test
    void configureArgumentErrorsAreClear(@TempDir Path dir) {
        String missing = dir.resolve("nope.properties").toString();
        InfisicalConfigException e = assertThrows(InfisicalConfigException.class, () -> isolated().configure(missing));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains(missing), e.getMessage());
        assertThrows(InfisicalConfigException.class, () -> isolated().configure(" "));
        InfisicalConfigException bad = assertThrows(InfisicalConfigException.class,
                () -> isolated().configure("--infisical.url=\\u12"));
        assertTrue(bad.getMessage().contains("not valid properties text"), bad.getMessage());
    }

    @Test
    void toStringMasksSecrets() {
        InfisicalConfig c = isolated().url("https://k.example.com").accessToken(TOKEN).clientId("id-7")
                .clientSecret(CLIENT_SECRET).projectId("p-1").build();
        String s = c.toString();
        assertFalse(s.contains(TOKEN), s);
        assertFalse(s.contains(CLIENT_SECRET), s);
        assertTrue(s.contains("***MASKED***") && s.contains("id-7") && s.contains("p-1"), s);
        assertEquals("***MASKED***", c.sanitized().get("infisical.clientSecret"));
        assertEquals("universal-auth", c.sanitized().get("auth"));
    }

    @Test
    void secretHidesItselfAndComparesByValue() {
        Secret a = Secret.of("abc");
        assertEquals("***MASKED***", a.toString());
        assertEquals(Secret.of("abc"), a);
        assertFalse(a.equals(Secret.of("abd")));
        assertEquals(Secret.of("x").hashCode(), Secret.of("y").hashCode(), "the hash must not depend on the value");
        assertTrue(a.matches("abc"));
        assertFalse(a.matches(null));
        assertThrows(IllegalArgumentException.class, () -> Secret.of(""));
    }

    @Test
    void caBundleIsReadUpFront(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, TestCertificates.pemOfAnyTrustedCa() + TestCertificates.pemOfAnyTrustedCa());
        InfisicalConfig c = isolated().url("https://k.example.com").accessToken(TOKEN).caCertPath(pem).build();
        assertEquals(2, c.caCertificates().size());
        assertEquals(pem, c.caCertPath().orElseThrow());

        InfisicalConfigException e = invalid(isolated().url("https://k.example.com").accessToken(TOKEN)
                .caCertPath(dir.resolve("missing.pem")));
        assertTrue(e.getMessage().contains("infisical.caCertPath") && e.getMessage().contains("does not exist"),
                e.getMessage());
    }
}
