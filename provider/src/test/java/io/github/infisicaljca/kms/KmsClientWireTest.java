package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.infisicaljca.kms.WireFixtures.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.infisicaljca.Secret;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact wire shape of every client call (method, path and query, headers, strict JSON body
 * with padded standard base64) and the parsing of each answer.
 */
class KmsClientWireTest {
    @RegisterExtension
    static WireMockExtension wm = newServer();

    private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();
    private KmsClient client;

    @BeforeEach
    void setUp() {
        client = KmsClient.create(TestSupport.staticToken(wm.baseUrl()), sleeper, System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        client.close();
        assertEquals(List.of(), sleeper.waits, "a successful call never waits");
    }

    private static final String KEY = "/api/v1/kms/keys/" + TestSupport.KEY_ID;

    /** Exactly one request reached the server, and it matched {@code pattern}. */
    private static LoggedRequest verifyOnly(RequestPatternBuilder pattern) {
        wm.verify(1, pattern);
        List<ServeEvent> events = wm.getAllServeEvents();
        assertEquals(1, events.size(), "requests seen: " + events);
        return events.get(0).getRequest();
    }

    /** A body-less request: no Content-Type, no bytes. */
    private static void verifyBodyless(String method, String url) {
        LoggedRequest r = verifyOnly(kms(method, urlEqualTo(url)).withoutHeader("Content-Type"));
        assertEquals(0, r.getBody().length, "a " + method + " carries no body");
    }

    // ---- keys -----------------------------------------------------------------------------

    @Test
    void createKeySendsEveryGivenFieldAndParsesTheKey() throws Exception {
        wm.stubFor(any(urlEqualTo(KMS)).willReturn(ok("{\"key\":" + keyJson(TestSupport.KEY_ID, "signer",
                "RSA_4096", "sign-verify").replace("\"isReserved\"", "\"isExportable\":false,\"isReserved\"") + "}")));

        KmsKey key = client.createKey(CreateKeyRequest.builder(TestSupport.PROJECT_ID, "signer")
                .description("signs things").keyUsage(KeyUsage.SIGN_VERIFY).algorithm("RSA_4096").build());

        verifyOnly(kmsWithBody("POST", urlEqualTo(KMS), "{\"projectId\":\"" + TestSupport.PROJECT_ID
                + "\",\"name\":\"signer\",\"description\":\"signs things\",\"keyUsage\":\"sign-verify\","
                + "\"encryptionAlgorithm\":\"RSA_4096\"}"));
        assertEquals(new KmsKey(TestSupport.KEY_ID, "signer", null, TestSupport.PROJECT_ID, ORG_ID, false,
                KeyUsage.SIGN_VERIFY, "RSA_4096", 1, CREATED_AT_INSTANT, CREATED_AT_INSTANT), key);
    }

    @Test
    void createKeyLeavesUnsetOptionalFieldsOut() throws Exception {
        wm.stubFor(any(urlEqualTo(KMS)).willReturn(ok("{\"key\":" + keyJson(TestSupport.KEY_ID, "plain",
                "aes-256-gcm", "encrypt-decrypt") + "}")));

        client.createKey(CreateKeyRequest.builder(TestSupport.PROJECT_ID, "plain").build());

        verifyOnly(kmsWithBody("POST", urlEqualTo(KMS),
                "{\"projectId\":\"" + TestSupport.PROJECT_ID + "\",\"name\":\"plain\"}"));
    }

    @Test
    void listKeysPageSendsOffsetLimitOrderAndEncodedSearch() throws Exception {
        wm.stubFor(any(urlPathEqualTo(KMS)).willReturn(ok("{\"keys\":[" + keyJson(keyId(1), "a", "aes-128-gcm", null)
                + "," + keyJson(keyId(2), "b", "ECC_NIST_P256", "sign-verify")
                + "],\"totalCount\":117,\"unexpected\":{\"nested\":[1,2]}}")));

        KeyPage page = client.listKeys(TestSupport.PROJECT_ID, 100, 50, "my key&x");

        LoggedRequest r = verifyOnly(kms("GET", urlPathEqualTo(KMS)).withoutHeader("Content-Type")
                .withQueryParam("projectId", equalTo(TestSupport.PROJECT_ID))
                .withQueryParam("offset", equalTo("100")).withQueryParam("limit", equalTo("50"))
                .withQueryParam("orderBy", equalTo("name")).withQueryParam("orderDirection", equalTo("asc"))
                .withQueryParam("search", equalTo("my key&x")));
        assertEquals(Set.of("projectId", "offset", "limit", "orderBy", "orderDirection", "search"),
                r.getQueryParams().keySet());
        assertTrue(r.getUrl().contains("search=my%20key%26x"), r.getUrl());
        assertEquals(117, page.totalCount());
        assertEquals(List.of(keyId(1), keyId(2)), page.keys().stream().map(KmsKey::id).toList());
        assertEquals(KeyUsage.ENCRYPT_DECRYPT, page.keys().get(0).keyUsage(), "derived from aes-128-gcm");
        assertEquals(KeyUsage.SIGN_VERIFY, page.keys().get(1).keyUsage());
    }

    @Test
    void listKeysWalksAllPagesOfAHundred() throws Exception {
        for (int offset = 0; offset < 250; offset += 100) {
            StringBuilder keys = new StringBuilder();
            for (int i = offset; i < Math.min(offset + 100, 250); i++) {
                keys.append(i == offset ? "" : ",").append(keyJson(keyId(i), String.format("key-%03d", i),
                        "aes-256-gcm", null));
            }
            wm.stubFor(any(urlPathEqualTo(KMS)).withQueryParam("offset", equalTo(Integer.toString(offset)))
                    .willReturn(ok("{\"keys\":[" + keys + "],\"totalCount\":250}")));
        }

        List<KmsKey> all = client.listKeys(TestSupport.PROJECT_ID);

        assertEquals(250, all.size());
        for (int i = 0; i < 250; i++) {
            assertEquals(keyId(i), all.get(i).id(), "key " + i + " in server order");
        }
        for (String offset : List.of("0", "100", "200")) {
            wm.verify(1, kms("GET", urlPathEqualTo(KMS)).withoutHeader("Content-Type")
                    .withQueryParam("projectId", equalTo(TestSupport.PROJECT_ID))
                    .withQueryParam("offset", equalTo(offset)).withQueryParam("limit", equalTo("100"))
                    .withQueryParam("orderBy", equalTo("name")).withQueryParam("orderDirection", equalTo("asc"))
                    .withoutQueryParam("search"));
        }
        assertEquals(3, wm.getAllServeEvents().size());
    }

    @Test
    void listKeysStopsAtAnEmptyPageEvenWhenTotalCountLies() throws Exception {
        wm.stubFor(any(urlPathEqualTo(KMS)).withQueryParam("offset", equalTo("0")).willReturn(ok("{\"keys\":["
                + keyJson(keyId(1), "a", null, null) + "," + keyJson(keyId(2), "b", null, null) + "],\"totalCount\":500}")));
        wm.stubFor(any(urlPathEqualTo(KMS)).withQueryParam("offset", equalTo("2"))
                .willReturn(ok("{\"keys\":[],\"totalCount\":500}")));

        // Bounded, so a client that keeps asking fails here instead of hanging the build (a minute: far above
        // the two requests a correct client makes, whatever the machine).
        List<KmsKey> all = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> client.listKeys(TestSupport.PROJECT_ID));

        assertEquals(List.of(keyId(1), keyId(2)), all.stream().map(KmsKey::id).toList());
        assertEquals(2, wm.getAllServeEvents().size(), "one full page, one empty page, then stop");
    }

    @Test
    void getKeyParsesEveryFieldAndIgnoresUnknownOnes() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY)).willReturn(ok("{\"key\":{\"id\":\"" + TestSupport.KEY_ID
                + "\",\"name\":\"hmac\",\"description\":\"macs\",\"isDisabled\":true,\"projectId\":\""
                + TestSupport.PROJECT_ID + "\",\"orgId\":\"" + ORG_ID + "\",\"createdAt\":\"" + CREATED_AT
                + "\",\"updatedAt\":\"2024-10-04T00:00:00Z\",\"version\":3,\"algorithm\":\"HMAC_SHA_256\","
                + "\"encryptionAlgorithm\":\"HMAC_SHA_256\",\"isExportable\":true,\"future\":{\"x\":[null]}},"
                + "\"alsoUnknown\":42}")));

        KmsKey key = client.getKey(TestSupport.KEY_ID);

        verifyBodyless("GET", KEY);
        assertEquals(new KmsKey(TestSupport.KEY_ID, "hmac", "macs", TestSupport.PROJECT_ID, ORG_ID, true,
                KeyUsage.GENERATE_VERIFY_MAC, "HMAC_SHA_256", 3, CREATED_AT_INSTANT,
                ZonedDateTime.of(2024, 10, 4, 0, 0, 0, 0, ZoneOffset.UTC).toInstant()), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes-256-gcm", "aes-128-gcm", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P521", "ML_DSA_65",
            "HMAC_SHA_1", "HMAC_SHA_512"})
    void keyUsageIsDerivedFromTheAlgorithmWhenTheServerSendsNone(String algorithm) throws Exception {
        wm.stubFor(any(urlEqualTo(KEY)).willReturn(ok("{\"key\":" + keyJson(TestSupport.KEY_ID, "k", algorithm, null)
                + "}")));

        KmsKey key = client.getKey(TestSupport.KEY_ID);

        KeyUsage expected = algorithm.startsWith("aes") ? KeyUsage.ENCRYPT_DECRYPT
                : algorithm.startsWith("HMAC") ? KeyUsage.GENERATE_VERIFY_MAC : KeyUsage.SIGN_VERIFY;
        assertEquals(expected, key.keyUsage());
        assertEquals(algorithm, key.algorithm());
    }

    @Test
    void getKeyByNameSendsTheNameInThePathAndTheProjectInTheQuery() throws Exception {
        String url = KMS + "/key-name/audit-signer?projectId=" + TestSupport.PROJECT_ID;
        wm.stubFor(any(urlEqualTo(url)).willReturn(ok("{\"key\":" + keyJson(TestSupport.KEY_ID, "audit-signer",
                "ECC_NIST_P256", "sign-verify") + "}")));

        KmsKey key = client.getKeyByName(TestSupport.PROJECT_ID, "audit-signer");

        verifyBodyless("GET", url);
        assertEquals("audit-signer", key.name());
        assertEquals(TestSupport.KEY_ID, key.id());
    }

    @Test
    void updateKeySendsOnlyTheChangedFields() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY)).willReturn(ok("{\"key\":" + keyJson(TestSupport.KEY_ID, "renamed",
                "aes-256-gcm", null).replace("\"isDisabled\":false", "\"isDisabled\":true") + "}")));

        KmsKey all = client.updateKey(TestSupport.KEY_ID, new KeyUpdate("renamed", "new text", false));
        wm.verify(1, kmsWithBody("PATCH", urlEqualTo(KEY),
                "{\"name\":\"renamed\",\"description\":\"new text\",\"isDisabled\":false}"));
        wm.resetRequests();
        client.updateKey(TestSupport.KEY_ID, KeyUpdate.disable());

        verifyOnly(kmsWithBody("PATCH", urlEqualTo(KEY), "{\"isDisabled\":true}"));
        assertTrue(all.disabled());
        assertEquals("renamed", all.name());
    }

    @Test
    void deleteKeyIsABodylessDelete() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY)).willReturn(ok("{\"key\":" + keyJson(TestSupport.KEY_ID, "gone", null, null)
                + "}")));

        KmsKey key = client.deleteKey(TestSupport.KEY_ID);

        verifyBodyless("DELETE", KEY);
        assertEquals("gone", key.name());
        assertNull(key.algorithm());
        assertEquals(KeyUsage.ENCRYPT_DECRYPT, key.keyUsage(), "no algorithm and no usage: encrypt-decrypt");
    }

    // ---- cryptographic operations ---------------------------------------------------------

    @Test
    void encryptSendsPaddedStandardBase64AndDecodesTheCiphertext() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/encrypt")).willReturn(ok("{\"ciphertext\":\"" + CIPHERTEXT_B64 + "\"}")));

        byte[] ciphertext = client.encrypt(TestSupport.KEY_ID, DATA);

        verifyOnly(kmsWithBody("POST", urlEqualTo(KEY + "/encrypt"), "{\"plaintext\":\"" + DATA_B64 + "\"}"));
        assertArrayEquals(CIPHERTEXT, ciphertext);
    }

    @Test
    void decryptSendsTheCiphertextAndDecodesThePlaintext() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/decrypt")).willReturn(ok("{\"plaintext\":\"" + DATA_B64 + "\"}")));

        byte[] plaintext = client.decrypt(TestSupport.KEY_ID, CIPHERTEXT);

        verifyOnly(kmsWithBody("POST", urlEqualTo(KEY + "/decrypt"), "{\"ciphertext\":\"" + CIPHERTEXT_B64 + "\"}"));
        assertArrayEquals(DATA, plaintext);
    }

    @Test
    void signRawDataSendsIsDigestFalse() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/sign")).willReturn(ok("{\"signature\":\"" + SIGNATURE_B64 + "\",\"keyId\":\""
                + TestSupport.KEY_ID + "\",\"signingAlgorithm\":\"RSASSA_PSS_SHA_256\"}")));

        byte[] signature = client.sign(TestSupport.KEY_ID, SigningAlgorithm.RSASSA_PSS_SHA_256, DATA, false);

        verifyOnly(kmsWithBody("POST", urlEqualTo(KEY + "/sign"),
                "{\"signingAlgorithm\":\"RSASSA_PSS_SHA_256\",\"isDigest\":false,\"data\":\"" + DATA_B64 + "\"}"));
        assertArrayEquals(SIGNATURE, signature);
    }

    @Test
    void signDigestSendsIsDigestTrueWithTheDigest() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/sign")).willReturn(ok("{\"signature\":\"" + SIGNATURE_B64 + "\",\"keyId\":\""
                + TestSupport.KEY_ID + "\",\"signingAlgorithm\":\"ECDSA_SHA_256\"}")));

        byte[] signature = client.sign(TestSupport.KEY_ID, SigningAlgorithm.ECDSA_SHA_256, DIGEST_32, true);

        verifyOnly(kmsWithBody("POST", urlEqualTo(KEY + "/sign"),
                "{\"signingAlgorithm\":\"ECDSA_SHA_256\",\"isDigest\":true,\"data\":\"" + DIGEST_32_B64 + "\"}"));
        assertArrayEquals(SIGNATURE, signature);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void verifySendsDataAndSignatureAndReadsTheVerdict(boolean valid) throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/verify")).willReturn(ok("{\"signatureValid\":" + valid + ",\"keyId\":\""
                + TestSupport.KEY_ID + "\",\"signingAlgorithm\":\"RSASSA_PKCS1_V1_5_SHA_384\"}")));

        boolean verdict = client.verify(TestSupport.KEY_ID, SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384, DATA, false,
                SIGNATURE);

        verifyOnly(kmsWithBody("POST", urlEqualTo(KEY + "/verify"), "{\"signingAlgorithm\":"
                + "\"RSASSA_PKCS1_V1_5_SHA_384\",\"isDigest\":false,\"data\":\"" + DATA_B64 + "\",\"signature\":\""
                + SIGNATURE_B64 + "\"}"));
        assertEquals(valid, verdict);
    }

    @Test
    void publicKeyIsABodylessGetDecodingTheDer() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/public-key")).willReturn(ok("{\"publicKey\":\"" + CIPHERTEXT_B64 + "\"}")));

        byte[] der = client.publicKey(TestSupport.KEY_ID);

        verifyBodyless("GET", KEY + "/public-key");
        assertArrayEquals(CIPHERTEXT, der);
    }

    @Test
    void signingAlgorithmsKeepsEveryNameInOrder() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/signing-algorithms")).willReturn(ok(
                "{\"signingAlgorithms\":[\"RSASSA_PSS_SHA_512\",\"RSASSA_PKCS1_V1_5_SHA_256\",\"ML_DSA_44\"]}")));

        List<String> names = client.signingAlgorithms(TestSupport.KEY_ID);

        verifyBodyless("GET", KEY + "/signing-algorithms");
        assertEquals(List.of("RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "ML_DSA_44"), names);
    }

    @Test
    void generateMacSendsTheDataAndDecodesTheMac() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/generate-mac")).willReturn(ok("{\"mac\":\"" + MAC_B64 + "\",\"keyId\":\""
                + TestSupport.KEY_ID + "\",\"macAlgorithm\":\"HMAC_SHA_256\"}")));

        byte[] mac = client.generateMac(TestSupport.KEY_ID, DATA);

        verifyOnly(kmsWithBody("POST", urlEqualTo(KEY + "/generate-mac"), "{\"data\":\"" + DATA_B64 + "\"}"));
        assertArrayEquals(MAC, mac);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void verifyMacSendsDataAndMacAndReadsTheVerdict(boolean valid) throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/verify-mac")).willReturn(ok("{\"macValid\":" + valid + ",\"keyId\":\""
                + TestSupport.KEY_ID + "\",\"macAlgorithm\":\"HMAC_SHA_256\"}")));

        boolean verdict = client.verifyMac(TestSupport.KEY_ID, DATA, MAC);

        verifyOnly(kmsWithBody("POST", urlEqualTo(KEY + "/verify-mac"),
                "{\"data\":\"" + DATA_B64 + "\",\"mac\":\"" + MAC_B64 + "\"}"));
        assertEquals(valid, verdict);
    }

    // ---- authentication -------------------------------------------------------------------

    @Test
    void loginSendsTheCredentialsInTheBodyWithoutABearer() throws Exception {
        wm.stubFor(any(urlEqualTo("/api/v1/auth/universal-auth/login")).willReturn(ok("{\"accessToken\":\"tok-1\","
                + "\"expiresIn\":7200,\"accessTokenMaxTTL\":86400,\"tokenType\":\"Bearer\",\"extra\":true}")));

        AuthToken token = client.login(TestSupport.CLIENT_ID, Secret.of(TestSupport.CLIENT_SECRET));

        verifyOnly(auth("POST", urlEqualTo("/api/v1/auth/universal-auth/login")).withRequestBody(
                equalToJson("{\"clientId\":\"" + TestSupport.CLIENT_ID
                        + "\",\"clientSecret\":\"" + TestSupport.CLIENT_SECRET + "\"}", false, false)));
        assertEquals("tok-1", token.accessToken().reveal());
        assertEquals(Duration.ofHours(2), token.expiresIn());
        assertEquals(Duration.ofDays(1), token.maxTtl());
        assertEquals("Bearer", token.tokenType());
        assertFalse(token.toString().contains("tok-1"), token.toString());
    }

    @Test
    void renewTokenSendsTheTokenInTheBodyWithoutABearer() throws Exception {
        wm.stubFor(any(urlEqualTo("/api/v1/auth/token/renew")).willReturn(ok(
                "{\"accessToken\":\"tok-2\",\"expiresIn\":60,\"accessTokenMaxTTL\":0,\"tokenType\":\"Bearer\"}")));

        AuthToken token = client.renewToken(Secret.of("tok-1"));

        verifyOnly(auth("POST", urlEqualTo("/api/v1/auth/token/renew")).withRequestBody(
                equalToJson("{\"accessToken\":\"tok-1\"}", false, false)));
        assertEquals("tok-2", token.accessToken().reveal());
        assertEquals(Duration.ofMinutes(1), token.expiresIn());
        assertEquals(Duration.ZERO, token.maxTtl());
    }

    @Test
    void revokeTokenSendsTheTokenInTheBodyWithoutABearer() throws Exception {
        wm.stubFor(any(urlEqualTo("/api/v1/auth/token/revoke"))
                .willReturn(ok("{\"message\":\"Successfully revoked access token\"}")));

        client.revokeToken(Secret.of("tok-3"));

        verifyOnly(auth("POST", urlEqualTo("/api/v1/auth/token/revoke")).withRequestBody(
                equalToJson("{\"accessToken\":\"tok-3\"}", false, false)));
    }
}
