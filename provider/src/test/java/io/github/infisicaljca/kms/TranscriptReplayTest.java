package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.infisicaljca.kms.WireFixtures.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.github.infisicaljca.Secret;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded exchange with the 2024 Infisical server: WireMock answers what the
 * server answered, the client is called with the inputs of the recorded request, and both the
 * request it sends and what it makes of the answer must match the recording.
 */
class TranscriptReplayTest {
    @RegisterExtension
    static WireMockExtension wm = WireFixtures.newServer();

    private static final String DIR = "/infisical-transcripts-2024-10";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern KEY_PATH = Pattern.compile("/api/v1/kms/keys/([0-9a-f-]{36})(?:/(encrypt|decrypt))?");
    private static final List<Integer> RETRYABLE = List.of(429, 500, 502, 503, 504); // the contract's list

    record Transcript(String name, JsonNode request, JsonNode response) {
        String method() {
            return request.get("method").asText();
        }

        String path() {
            return URI.create(request.get("path").asText()).getPath();
        }

        Map<String, String> query() {
            Map<String, String> q = new TreeMap<>();
            String raw = URI.create(request.get("path").asText()).getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    String[] kv = pair.split("=", 2);
                    q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
            }
            return q;
        }

        JsonNode body() {
            return request.get("body");
        }

        int status() {
            return response.get("status").asInt();
        }

        JsonNode answer() {
            return response.get("body");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Transcript> transcripts() throws Exception {
        Path dir = Path.of(TranscriptReplayTest.class.getResource(DIR).toURI());
        List<Transcript> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode t = MAPPER.readTree(f.toFile());
                all.add(new Transcript(f.getFileName().toString().replace(".json", ""), t.get("request"), t.get("response")));
            }
        }
        assertFalse(all.isEmpty(), "no transcripts under " + DIR);
        return all.stream();
    }

    static Transcript load(String name) throws Exception {
        return transcripts().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();
    private KmsClient client;

    @BeforeEach
    void setUp() {
        client = KmsClient.create(TestSupport.staticToken(wm.baseUrl()), sleeper, System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    // ---- replay ---------------------------------------------------------------------------

    /** What the client sends for the recorded request: the same body, except values it cannot send. */
    private ObjectNode expectedBody = null;

    private byte[] binaryInput(String field) {
        String value = expectedBody.get(field).asText();
        try {
            if (value.length() % 4 == 0) {
                return Base64.getDecoder().decode(value);
            }
        } catch (IllegalArgumentException notBase64) {
            // fall through
        }
        // The recording sent text that is not base64 (a server probe). A client always encodes
        // what it is given, so it sends that text's bytes, correctly encoded.
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        expectedBody.put(field, Base64.getEncoder().encodeToString(raw));
        return raw;
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private Object invoke(KmsClient c, Transcript t) throws Exception {
        JsonNode b = t.body();
        expectedBody = b == null || b.isNull() ? null : b.deepCopy();
        Matcher key = KEY_PATH.matcher(t.path());
        switch (t.method() + " " + (key.matches() ? "key" + (key.group(2) == null ? "" : "/" + key.group(2)) : t.path())) {
            case "POST /api/v1/auth/universal-auth/login":
                return c.login(b.get("clientId").asText(), Secret.of(b.get("clientSecret").asText()));
            case "POST /api/v1/kms/keys":
                CreateKeyRequest.Builder create = CreateKeyRequest.builder(b.get("projectId").asText(), b.get("name").asText())
                        .description(textOrNull(b, "description"))
                        .algorithm(Optional.ofNullable(textOrNull(b, "encryptionAlgorithm")).orElse(textOrNull(b, "algorithm")));
                if (b.has("keyUsage")) {
                    create.keyUsage(KeyUsage.fromWire(b.get("keyUsage").asText()));
                }
                return c.createKey(create.build());
            case "GET /api/v1/kms/keys":
                return c.listKeys(t.query().get("projectId"));
            case "PATCH key":
                return c.updateKey(key.group(1), new KeyUpdate(textOrNull(b, "name"), textOrNull(b, "description"),
                        b.has("isDisabled") ? b.get("isDisabled").asBoolean() : null));
            case "POST key/encrypt":
                return c.encrypt(key.group(1), binaryInput("plaintext"));
            case "POST key/decrypt":
                return c.decrypt(key.group(1), binaryInput("ciphertext"));
            default:
                return fail("no replay for " + t.method() + " " + t.path() + " (" + t.name() + ")");
        }
    }

    private static void stub(Transcript t) {
        MappingBuilder m = request(t.method(), urlPathEqualTo(t.path()));
        t.query().forEach((k, v) -> m.withQueryParam(k, equalTo(v)));
        wm.stubFor(m.willReturn(json(t.status(), t.answer().toString())));
    }

    /** Replays one transcript; returns the result, or the exception the call threw. */
    private Object replay(KmsClient c, Transcript t) {
        stub(t);
        try {
            return invoke(c, t);
        } catch (KmsException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(t.name() + ": unexpected " + e, e);
        }
    }

    private static boolean isAuthCall(Transcript t) {
        return t.path().startsWith("/api/v1/auth/");
    }

    private RequestPatternBuilder sentPattern(Transcript t) {
        RequestPatternBuilder p = WireFixtures.common(t.method(), urlPathEqualTo(t.path()));
        for (Map.Entry<String, String> q : t.query().entrySet()) {
            p = p.withQueryParam(q.getKey(), equalTo(q.getValue()));
        }
        // Every KMS call carries the client's token, also when the recording probed a missing one.
        p = isAuthCall(t) ? p.withoutHeader("Authorization")
                : p.withHeader("Authorization", equalTo("Bearer " + TestSupport.TOKEN));
        if (expectedBody == null) {
            return p.withoutHeader("Content-Type");
        }
        return p.withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson(expectedBody.toString(), false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void theClientSendsTheRecordedRequestAndReadsTheRecordedAnswer(Transcript t) throws Exception {
        Object result = replay(client, t);

        int retries = t.status() == 500 && t.method().equals("POST") && t.path().endsWith("/decrypt")
                ? KmsClient.DECRYPT_500_RETRIES // a refused ciphertext is not worth three more tries
                : client.config().maxRetries();
        int attempts = t.status() / 100 != 2 && RETRYABLE.contains(t.status()) ? 1 + retries : 1;
        wm.verify(attempts, sentPattern(t));
        assertEquals(attempts, wm.getAllServeEvents().size(), "requests sent");
        assertEquals(attempts - 1, sleeper.waits.size(), "waits between attempts");
        if (t.status() / 100 == 2) {
            assertFalse(result instanceof KmsException, () -> t.name() + ": " + result);
            assertParsed(t.answer(), result);
        } else {
            assertMapped(t.status(), t.answer(), result);
        }
    }

    private static void assertParsed(JsonNode answer, Object result) {
        if (result instanceof AuthToken token) {
            assertEquals(answer.get("accessToken").asText(), token.accessToken().reveal());
            assertEquals(Duration.ofSeconds(answer.get("expiresIn").asLong()), token.expiresIn());
            assertEquals(Duration.ofSeconds(answer.get("accessTokenMaxTTL").asLong()), token.maxTtl());
            assertEquals(answer.get("tokenType").asText(), token.tokenType());
        } else if (result instanceof KmsKey key) {
            assertKey(answer.get("key"), key);
        } else if (result instanceof List<?> keys) {
            assertEquals(answer.get("keys").size(), keys.size());
            assertEquals(answer.get("totalCount").asInt(), keys.size());
            for (int i = 0; i < keys.size(); i++) {
                assertKey(answer.get("keys").get(i), (KmsKey) keys.get(i));
            }
        } else if (result instanceof byte[] bytes) {
            assertEquals(1, answer.size(), "one binary field: " + answer);
            assertArrayEquals(Base64.getDecoder().decode(answer.elements().next().asText()), bytes);
        } else {
            fail("unexpected result " + result);
        }
    }

    private static void assertKey(JsonNode k, KmsKey key) {
        assertEquals(k.get("id").asText(), key.id());
        assertEquals(k.get("name").asText(), key.name());
        assertEquals(textOrNull(k, "description"), key.description());
        assertEquals(textOrNull(k, "projectId"), key.projectId());
        assertEquals(textOrNull(k, "orgId"), key.orgId());
        assertEquals(k.get("isDisabled").asBoolean(), key.disabled());
        String algorithm = Optional.ofNullable(textOrNull(k, "algorithm")).orElse(textOrNull(k, "encryptionAlgorithm"));
        assertEquals(algorithm, key.algorithm());
        assertEquals(k.has("version") ? Integer.valueOf(k.get("version").asInt()) : null, key.version());
        assertEquals(Instant.parse(k.get("createdAt").asText()), key.createdAt());
        assertEquals(Instant.parse(k.get("updatedAt").asText()), key.updatedAt());
        if (k.has("keyUsage")) {
            assertEquals(k.get("keyUsage").asText(), key.keyUsage().wireName());
        } else {
            assertTrue(algorithm == null || algorithm.startsWith("aes-"), "a 2024 key without keyUsage: " + algorithm);
            assertEquals(KeyUsage.ENCRYPT_DECRYPT, key.keyUsage(), "missing keyUsage means encrypt-decrypt");
        }
    }

    private static void assertMapped(int status, JsonNode answer, Object result) {
        KmsApiException e = (KmsApiException) result;
        assertEquals(status, e.status());
        assertEquals(answer.get("error").asText(), e.error());
        JsonNode message = answer.get("message");
        if (message.isArray()) {
            assertEquals(message.size(), e.validationIssues().size());
            for (int i = 0; i < message.size(); i++) {
                String issue = e.validationIssues().get(i);
                assertTrue(issue.contains(message.get(i).get("message").asText()), issue);
                message.get(i).get("path").forEach(p -> assertTrue(issue.contains(p.asText()), issue));
            }
            assertEquals(String.join("; ", e.validationIssues()), e.serverMessage());
        } else {
            assertEquals(message.asText(), e.serverMessage());
            assertEquals(List.of(), e.validationIssues());
        }
        assertEquals(Optional.ofNullable(textOrNull(answer, "reqId")), e.reqId());
    }

    // ---- what particular recordings establish ----------------------------------------------

    @Test
    void theNoAuthProbeIsAnAuthenticationFailureAStaticTokenCannotRepair() throws Exception {
        Object result = replay(client, load("29-kms-encrypt-no-auth"));

        KmsApiException e = (KmsApiException) result;
        assertEquals(401, e.status());
        assertEquals("UnauthorizedError", e.error());
        assertTrue(e.isAuthenticationFailure());
        assertEquals(1, wm.getAllServeEvents().size(), "a static token cannot refresh: exactly one request");
    }

    @Test
    void theNotBase64ProbeIsAValidationFailureThatTriggersNoLogin() throws Exception {
        Transcript t = load("28-kms-encrypt-not-base64");
        wm.stubFor(request("POST", urlEqualTo("/api/v1/auth/universal-auth/login")).willReturn(WireFixtures.ok(
                "{\"accessToken\":\"ua-token\",\"expiresIn\":3600,\"accessTokenMaxTTL\":7200,\"tokenType\":\"Bearer\"}")));
        try (KmsClient ua = KmsClient.create(TestSupport.universalAuth(wm.baseUrl()), sleeper,
                new TestSupport.ManualClock()::nanos)) {
            KmsApiException e = (KmsApiException) replay(ua, t);

            assertEquals(List.of("plaintext: plaintext must be base64 encoded"), e.validationIssues());
            assertTrue(e.isValidationFailure());
            assertFalse(e.isAuthenticationFailure());
        }
        wm.verify(1, WireFixtures.common("POST", urlEqualTo("/api/v1/auth/universal-auth/login")));
        wm.verify(1, WireFixtures.common("POST", urlEqualTo(t.path())).withHeader("Authorization", equalTo("Bearer ua-token")));
        assertEquals(2, wm.getAllServeEvents().size(), "one login, one refused encrypt: no second login");
    }

    @Test
    void theListRecordingParsesTwoKeysWithoutKeyUsageAsEncryptDecrypt() throws Exception {
        @SuppressWarnings("unchecked")
        List<KmsKey> keys = (List<KmsKey>) replay(client, load("22-kms-list-keys"));

        assertEquals(List.of("test-aes-128", "test-aes-256"), keys.stream().map(KmsKey::name).toList());
        keys.forEach(k -> assertEquals(KeyUsage.ENCRYPT_DECRYPT, k.keyUsage()));
        wm.verify(1, WireFixtures.common("GET", urlPathEqualTo("/api/v1/kms/keys"))
                .withQueryParam("projectId", equalTo(TestSupport.PROJECT_ID)).withQueryParam("offset", equalTo("0")));
    }

    @Test
    void the2024CreateAnswerHasNoAlgorithmAndNoVersion() throws Exception {
        KmsKey key = (KmsKey) replay(client, load("10-kms-create-key-aes256"));

        assertNull(key.algorithm());
        assertNull(key.version());
        assertEquals(KeyUsage.ENCRYPT_DECRYPT, key.keyUsage());
        assertEquals("aes-256-gcm test key", key.description());
    }

    @Test
    void theLoginRecordingGivesTheTokenAndItsLifetimes() throws Exception {
        AuthToken token = (AuthToken) replay(client, load("08-universal-auth-login"));

        assertEquals("<jwt-access-token>", token.accessToken().reveal());
        assertEquals(Duration.ofDays(30), token.expiresIn());
        assertEquals(Duration.ofDays(30), token.maxTtl());
        wm.verify(1, WireFixtures.auth("POST", urlEqualTo("/api/v1/auth/universal-auth/login")));
    }
}
