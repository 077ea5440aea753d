package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.infisicaljca.kms.WireFixtures.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.Secret;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the client makes of unusual 2xx answers: the 2024 server's missing get routes (answered
 * by listing), and every defect of a success body (invalid or truncated base64, missing or
 * mistyped fields, a foreign keyId, a non-JSON body), each a MALFORMED_RESPONSE naming the field.
 */
class KmsClientWireResponsesTest {
    @RegisterExtension
    static WireMockExtension wm = newServer();

    private static final String KEY = KMS + "/" + TestSupport.KEY_ID;
    private static final String OTHER_PROJECT = "11111111-2222-4333-8444-555555555555";

    private KmsClient client;

    @BeforeEach
    void setUp() {
        client = KmsClient.create(TestSupport.staticToken(wm.baseUrl()), new TestSupport.RecordingSleeper(),
                System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    // ---- 2024 servers: no get-by-id / get-by-name routes ------------------------------------

    private static void stubList(String projectId, String... keys) {
        wm.stubFor(any(urlPathEqualTo(KMS)).withQueryParam("projectId", equalTo(projectId))
                .willReturn(ok("{\"keys\":[" + String.join(",", keys) + "],\"totalCount\":" + keys.length + "}")));
    }

    @Test
    void getKeyFallsBackToListingTheConfiguredProjectOnRouteNotFound() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY)).willReturn(json(404, routeNotFound("GET", KEY))));
        stubList(TestSupport.PROJECT_ID, keyJson(keyId(1), "other", "aes-128-gcm", null),
                keyJson(TestSupport.KEY_ID, "wanted", "RSA_4096", null));

        KmsKey key = client.getKey(TestSupport.KEY_ID);

        assertEquals(TestSupport.KEY_ID, key.id());
        assertEquals("wanted", key.name());
        assertEquals(KeyUsage.SIGN_VERIFY, key.keyUsage());
        wm.verify(1, kms("GET", urlEqualTo(KEY)));
        wm.verify(1, kms("GET", urlPathEqualTo(KMS)).withQueryParam("projectId", equalTo(TestSupport.PROJECT_ID))
                .withQueryParam("offset", equalTo("0")).withQueryParam("limit", equalTo("100")));
        assertEquals(2, wm.getAllServeEvents().size());
    }

    @Test
    void getKeyFallbackReportsNotFoundWhenTheListLacksTheKey() {
        wm.stubFor(any(urlEqualTo(KEY)).willReturn(json(404, routeNotFound("GET", KEY))));
        stubList(TestSupport.PROJECT_ID, keyJson(keyId(1), "other", null, null));

        KmsApiException e = assertThrows(KmsApiException.class, () -> client.getKey(TestSupport.KEY_ID));

        assertEquals(404, e.status());
        assertEquals("NotFound", e.error());
        assertTrue(e.isNotFound());
        assertFalse(e.isRouteNotFound());
        assertTrue(e.getMessage().contains(TestSupport.PROJECT_ID), e.getMessage());
        assertEquals(2, wm.getAllServeEvents().size());
    }

    @Test
    void aRealKeyNotFoundIsNotAnsweredByListing() {
        wm.stubFor(any(urlEqualTo(KEY)).willReturn(json(404,
                "{\"statusCode\":404,\"message\":\"Key not found\",\"error\":\"NotFound\",\"reqId\":\"req-1\"}")));

        KmsApiException e = assertThrows(KmsApiException.class, () -> client.getKey(TestSupport.KEY_ID));

        assertTrue(e.isNotFound());
        assertEquals("Key not found", e.serverMessage());
        assertEquals(1, wm.getAllServeEvents().size(), "no listing after a real NotFound");
    }

    @Test
    void withoutAConfiguredProjectTheRouteNotFoundIsReported() throws Exception {
        InfisicalConfig config = InfisicalConfig.builder().withoutAmbientSources().url(wm.baseUrl())
                .accessToken(TestSupport.TOKEN).build();
        try (KmsClient noProject = KmsClient.create(config, new TestSupport.RecordingSleeper(), System::nanoTime)) {
            wm.stubFor(any(urlEqualTo(KEY)).willReturn(json(404, routeNotFound("GET", KEY))));
            KmsApiException e = assertThrows(KmsApiException.class, () -> noProject.getKey(TestSupport.KEY_ID));
            assertTrue(e.isRouteNotFound());
            assertEquals(1, wm.getAllServeEvents().size(), "no project to list");
        }
    }

    @Test
    void getKeyByNameFallsBackToListingTheGivenProject() throws Exception {
        String byName = KMS + "/key-name/wanted?projectId=" + OTHER_PROJECT;
        wm.stubFor(any(urlEqualTo(byName)).willReturn(json(404, routeNotFound("GET", KMS + "/key-name/wanted"))));
        // The keys of that project say so (the client refuses a listing holding another project's keys).
        stubList(OTHER_PROJECT, keyJson(keyId(1), "other", null, null).replace(TestSupport.PROJECT_ID, OTHER_PROJECT),
                keyJson(keyId(2), "wanted", "ECC_NIST_P256", null).replace(TestSupport.PROJECT_ID, OTHER_PROJECT));

        KmsKey key = client.getKeyByName(OTHER_PROJECT, "wanted");

        assertEquals(keyId(2), key.id());
        assertEquals(KeyUsage.SIGN_VERIFY, key.keyUsage());
        wm.verify(1, kms("GET", urlEqualTo(byName)));
        wm.verify(1, kms("GET", urlPathEqualTo(KMS)).withQueryParam("projectId", equalTo(OTHER_PROJECT)));
        assertEquals(2, wm.getAllServeEvents().size());
    }

    @Test
    void getKeyByNameFallbackReportsNotFoundWhenNoKeyHasTheName() {
        wm.stubFor(any(urlPathEqualTo(KMS + "/key-name/wanted"))
                .willReturn(json(404, routeNotFound("GET", KMS + "/key-name/wanted"))));
        stubList(TestSupport.PROJECT_ID, keyJson(keyId(1), "wanted-not", null, null));

        KmsApiException e = assertThrows(KmsApiException.class,
                () -> client.getKeyByName(TestSupport.PROJECT_ID, "wanted"));

        assertTrue(e.isNotFound());
        assertTrue(e.getMessage().contains("wanted"), e.getMessage());
    }

    // ---- malformed success bodies -----------------------------------------------------------

    interface Call {
        Object run(KmsClient c) throws Exception;
    }

    private static Arguments bad(String path, String body, String field, Call call) {
        return Arguments.of(path, body, field, call);
    }

    static Stream<Arguments> malformedBodies() {
        String kid = ",\"keyId\":\"" + TestSupport.KEY_ID + "\"";
        Call encrypt = c -> c.encrypt(TestSupport.KEY_ID, DATA);
        Call sign = c -> c.sign(TestSupport.KEY_ID, SigningAlgorithm.ECDSA_SHA_256, DATA, false);
        Call getKey = c -> c.getKey(TestSupport.KEY_ID);
        return Stream.of(
                bad("/encrypt", "{\"ciphertext\":\"not*base64!\"}", "'ciphertext'", encrypt),
                bad("/encrypt", "{\"ciphertext\":\"/+++AQID+/A\"}", "'ciphertext'", encrypt),   // truncated
                bad("/encrypt", "{\"ciphertext\":\"_-__AQID-_A=\"}", "'ciphertext'", encrypt),  // base64url
                bad("/encrypt", "{\"ciphertext\":\"/+++AQID\\n+/A=\"}", "'ciphertext'", encrypt), // line break
                bad("/encrypt", "{\"ciphertext\":\"QR==\"}", "'ciphertext'", encrypt),        // non-canonical
                bad("/encrypt", "{\"ciphertext\":\"" + CIPHERTEXT_B64 + "\"} trailing", "JSON object", encrypt),
                bad("/encrypt", "{\"cipherText\":\"" + CIPHERTEXT_B64 + "\"}", "'ciphertext'", encrypt),
                bad("/encrypt", "{\"ciphertext\":12345678}", "'ciphertext'", encrypt),
                bad("/encrypt", "{\"ciphertext\":[\"" + CIPHERTEXT_B64 + "\"]}", "'ciphertext'", encrypt),
                bad("/decrypt", "{\"plaintext\":\"\"}", "'plaintext'", c -> c.decrypt(TestSupport.KEY_ID, CIPHERTEXT)),
                bad("/sign", "{\"signingAlgorithm\":\"ECDSA_SHA_256\"" + kid + "}", "'signature'", sign),
                bad("/sign", "{\"signature\":\"" + SIGNATURE_B64 + "\",\"keyId\":7}", "'keyId'", sign),
                bad("/verify", "{\"signatureValid\":\"true\"" + kid + "}", "'signatureValid'",
                        c -> c.verify(TestSupport.KEY_ID, SigningAlgorithm.ECDSA_SHA_256, DATA, false, SIGNATURE)),
                bad("/generate-mac", "{\"macAlgorithm\":\"HMAC_SHA_256\"" + kid + "}", "'mac'",
                        c -> c.generateMac(TestSupport.KEY_ID, DATA)),
                bad("/verify-mac", "{\"macValid\":1" + kid + "}", "'macValid'",
                        c -> c.verifyMac(TestSupport.KEY_ID, DATA, MAC)),
                bad("/public-key", "{\"publicKey\":null}", "'publicKey'", c -> c.publicKey(TestSupport.KEY_ID)),
                bad("/signing-algorithms", "{\"signingAlgorithms\":\"RSASSA_PSS_SHA_256\"}", "'signingAlgorithms'",
                        c -> c.signingAlgorithms(TestSupport.KEY_ID)),
                bad("/signing-algorithms", "{\"signingAlgorithms\":[1]}", "'signingAlgorithms'",
                        c -> c.signingAlgorithms(TestSupport.KEY_ID)),
                bad("", "{\"key\":[]}", "'key'", getKey),
                bad("", "{\"key\":{\"name\":\"no-id\"}}", "'id'", getKey),
                bad("", "{\"key\":" + keyJson(TestSupport.KEY_ID, "k", null, null).replace(CREATED_AT, "yesterday")
                        + "}", "'createdAt'", getKey),
                bad("", "{\"key\":" + keyJson(TestSupport.KEY_ID, "k", null, null).replace("\"version\":1",
                        "\"version\":\"1\"") + "}", "'version'", getKey),
                bad("", "{\"key\":" + keyJson(TestSupport.KEY_ID, "k", null, null).replace("\"isDisabled\":false",
                        "\"isDisabled\":\"no\"") + "}", "'isDisabled'", getKey),
                bad("", "{\"key\":" + keyJson(TestSupport.KEY_ID, "k", null, "bogus-usage") + "}", "keyUsage", getKey),
                bad("?list", "{\"keys\":[],\"totalCount\":\"0\"}", "'totalCount'",
                        c -> c.listKeys(TestSupport.PROJECT_ID, 0, 10, null)),
                bad("?list", "{\"keys\":[\"x\"],\"totalCount\":1}", "'keys'",
                        c -> c.listKeys(TestSupport.PROJECT_ID, 0, 10, null)),
                bad("?list", "{\"totalCount\":1}", "'keys'", c -> c.listKeys(TestSupport.PROJECT_ID)),
                bad("login", "{\"expiresIn\":60}", "'accessToken'",
                        c -> c.login(TestSupport.CLIENT_ID, Secret.of(TestSupport.CLIENT_SECRET))),
                bad("login", "{\"accessToken\":\"t\",\"expiresIn\":\"soon\"}", "'expiresIn'",
                        c -> c.login(TestSupport.CLIENT_ID, Secret.of(TestSupport.CLIENT_SECRET))));
    }

    private static String urlOf(String path) {
        return path.equals("login") ? "/api/v1/auth/universal-auth/login" : path.equals("?list") ? KMS : KEY + path;
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("malformedBodies")
    void aDefectiveSuccessBodyIsAMalformedResponseNamingTheField(String path, String body, String field, Call call) {
        wm.stubFor(any(urlPathEqualTo(urlOf(path))).willReturn(ok(body)));

        KmsException e = assertThrows(KmsException.class, () -> call.run(client));

        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind(), e.getMessage());
        assertFalse(e instanceof KmsApiException);
        assertTrue(e.getMessage().contains(field), "message names " + field + ": " + e.getMessage());
        for (String secretish : new String[] {"not*base64!", "/+++AQID+/A", "_-__AQID-_A="}) {
            assertFalse(e.getMessage().contains(secretish), "the bad value is not quoted: " + e.getMessage());
        }
        assertFalse(e.isTransient());
        assertEquals(1, wm.getAllServeEvents().size(), "a malformed answer is not retried");
    }

    static Stream<Arguments> foreignKeyAnswers() {
        String other = ",\"keyId\":\"" + OTHER_KEY_ID + "\"";
        return Stream.of(
                bad("/sign", "{\"signature\":\"" + SIGNATURE_B64 + "\",\"signingAlgorithm\":\"ECDSA_SHA_256\"" + other
                        + "}", "sign", c -> c.sign(TestSupport.KEY_ID, SigningAlgorithm.ECDSA_SHA_256, DATA, false)),
                bad("/verify", "{\"signatureValid\":true,\"signingAlgorithm\":\"ECDSA_SHA_256\"" + other + "}",
                        "verify", c -> c.verify(TestSupport.KEY_ID, SigningAlgorithm.ECDSA_SHA_256, DATA, false,
                                SIGNATURE)),
                bad("/generate-mac", "{\"mac\":\"" + MAC_B64 + "\",\"macAlgorithm\":\"HMAC_SHA_256\"" + other + "}",
                        "generate-mac", c -> c.generateMac(TestSupport.KEY_ID, DATA)),
                bad("/verify-mac", "{\"macValid\":true,\"macAlgorithm\":\"HMAC_SHA_256\"" + other + "}",
                        "verify-mac", c -> c.verifyMac(TestSupport.KEY_ID, DATA, MAC)));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("foreignKeyAnswers")
    void aSuccessNamingAnotherKeyIsMalformed(String path, String body, String operation, Call call) {
        wm.stubFor(any(urlEqualTo(KEY + path)).willReturn(ok(body)));

        KmsException e = assertThrows(KmsException.class, () -> call.run(client));

        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind());
        assertEquals(operation, e.operation());
        assertEquals(TestSupport.KEY_ID, e.keyId());
        assertTrue(e.getMessage().contains(OTHER_KEY_ID) && e.getMessage().contains(TestSupport.KEY_ID),
                e.getMessage());
    }

    @Test
    void theAnsweredKeyIdIsComparedAsAUuidNotAsText() throws Exception {
        // The client accepts an upper-case UUID; the server (PostgreSQL uuid) answers in lower case.
        String upper = TestSupport.KEY_ID.toUpperCase(Locale.ROOT);
        wm.stubFor(any(urlEqualTo(KMS + "/" + upper + "/sign")).willReturn(ok("{\"signature\":\"" + SIGNATURE_B64
                + "\",\"keyId\":\"" + TestSupport.KEY_ID + "\",\"signingAlgorithm\":\"ECDSA_SHA_256\"}")));

        byte[] signature = client.sign(upper, SigningAlgorithm.ECDSA_SHA_256, DATA, false);

        assertArrayEquals(SIGNATURE, signature);
    }

    @Test
    void aNonJsonSuccessBodyIsMalformed() {
        wm.stubFor(any(urlEqualTo(KEY + "/encrypt"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody("OK")));

        KmsException e = assertThrows(KmsException.class, () -> client.encrypt(TestSupport.KEY_ID, DATA));

        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
        assertTrue(e.getMessage().contains("200"), e.getMessage());
        assertEquals(1, wm.getAllServeEvents().size());
    }

    @Test
    void aJsonArraySuccessBodyIsMalformed() {
        wm.stubFor(any(urlEqualTo(KEY + "/public-key")).willReturn(ok("[\"" + CIPHERTEXT_B64 + "\"]")));

        KmsException e = assertThrows(KmsException.class, () -> client.publicKey(TestSupport.KEY_ID));

        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
    }
}
