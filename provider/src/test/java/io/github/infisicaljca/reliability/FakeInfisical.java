package io.github.infisicaljca.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.requestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.VerifyMode;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small but real Infisical on WireMock: Universal Auth (a first and a second token), a project
 * with one RSA_4096 and one aes-256-gcm key, the RSA key's real SubjectPublicKeyInfo, and success
 * answers that are real: the signature is made by the matching JDK private key, the ciphertexts
 * are AES-GCM in Infisical's layout (IV || ct || tag || "v01"), and decrypt answers the plaintext
 * that ciphertext holds. A request the fixture does not know gets WireMock's 404, so a provider
 * sending something else fails its cell instead of passing by accident.
 */
final class FakeInfisical implements AutoCloseable {
    static final String PROJECT_ID = "7f09fbf4-97e7-41f5-942d-519848f7217a";
    static final String OTHER_PROJECT_ID = "5a0e7c1d-8f3b-4d62-9e41-07b2c6a9f3d8";
    static final String ORG_ID = "a2666b20-491d-49d3-8608-44d847e41460";
    static final String RSA_ID = "9c1f6a2e-3b7d-4e58-a0c4-5d2e8f71b3a6";
    static final String AES_ID = "4b535158-4ce3-439c-b2a5-b1bacfaf616c";
    static final String OTHER_KEY_ID = "00000000-1111-2222-3333-444444444444";
    static final String RSA_NAME = "fault-rsa";
    static final String AES_NAME = "fault-aes";
    static final String CLIENT_ID = "c6d42f6d-9eb8-4c74-bdd6-398adfc9181a";

    // Distinctive secrets: any 16-character window of them in a message or log is a leak.
    static final String CLIENT_SECRET = "cs-Q7vZ1kWm9TfB3xRgH5nL0pYd-FAULTSECRET";
    static final String TOKEN_1 = "eyJhbGciOiJIUzI1NiJ9.Rk1UT0tFTjEtZmlyc3Q.aT1u8XcVb2Mq7WzK4pLs";
    static final String TOKEN_2 = "eyJhbGciOiJIUzI1NiJ9.Rk1UT0tFTjItc2Vjb25k.Zr6Jd0NyQe3HvGx9uBoP";
    static final byte[] PLAINTEXT = "PLAINTEXT/the vault opens with 7319-ALPHA-KESTREL".getBytes(UTF_8);
    static final byte[] WRAPPED_KEY_BYTES = "WRAPPEDKEY:9f2c41d8b7e6a5f0c3d1".getBytes(UTF_8); // 32 bytes

    static final String SIGNING_ALGORITHM = "RSASSA_PKCS1_V1_5_SHA_256";
    static final byte[] MESSAGE = "fault matrix: a message to sign".getBytes(UTF_8);

    static final KeyPair RSA = rsaKeyPair();
    static final byte[] SIGNATURE = sign(MESSAGE);
    private static final SecretKeySpec SERVER_AES = new SecretKeySpec(new byte[32], "AES");
    static final byte[] CIPHERTEXT = seal(PLAINTEXT, 1);
    static final byte[] WRAPPED = seal(WRAPPED_KEY_BYTES, 2);

    static final String LOGIN = "/api/v1/auth/universal-auth/login";
    static final String KEYS = "/api/v1/kms/keys";

    private final WireMockServer server;

    FakeInfisical() {
        server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(40));
        server.start();
        reset();
    }

    String baseUrl() {
        return server.baseUrl();
    }

    WireMockServer server() {
        return server;
    }

    /** The configuration every cell uses: two retries, 1 s to connect, the cell's budget per call. */
    InfisicalConfig config(VerifyMode verify, Duration requestTimeout) {
        return config(baseUrl(), verify, requestTimeout);
    }

    static InfisicalConfig config(String url, VerifyMode verify, Duration requestTimeout) {
        return InfisicalConfig.builder().withoutAmbientSources().url(url).clientId(CLIENT_ID)
                .clientSecret(CLIENT_SECRET).projectId(PROJECT_ID).maxRetries(2)
                .requestTimeout(requestTimeout).connectTimeout(Duration.ofSeconds(1)).verify(verify).build();
    }

    /** Forgets stubs, scenarios and requests, and serves the healthy server again. */
    void reset() {
        server.resetAll();
        server.stubFor(post(urlPathEqualTo(LOGIN)).atPriority(5)
                .withRequestBody(equalToJson("{\"clientId\":\"" + CLIENT_ID + "\",\"clientSecret\":\"" + CLIENT_SECRET + "\"}"))
                .inScenario("login").whenScenarioStateIs(STARTED).willSetStateTo("second")
                .willReturn(json(200, tokenBody(TOKEN_1))));
        server.stubFor(post(urlPathEqualTo(LOGIN)).atPriority(5)
                .withRequestBody(equalToJson("{\"clientId\":\"" + CLIENT_ID + "\",\"clientSecret\":\"" + CLIENT_SECRET + "\"}"))
                .inScenario("login").whenScenarioStateIs("second")
                .willReturn(json(200, tokenBody(TOKEN_2))));
        server.stubFor(kms(get(urlPathEqualTo(KEYS)).withQueryParam("projectId", equalTo(PROJECT_ID)))
                .willReturn(json(200, listBody(PROJECT_ID))));
        server.stubFor(kms(get(urlPathEqualTo(KEYS + "/" + RSA_ID + "/public-key")))
                .willReturn(json(200, "{\"publicKey\":\"" + b64(RSA.getPublic().getEncoded()) + "\"}")));
        server.stubFor(kms(post(urlPathEqualTo(path(RSA_ID, "sign"))))
                .withRequestBody(equalToJson("{\"signingAlgorithm\":\"" + SIGNING_ALGORITHM + "\",\"isDigest\":false,"
                        + "\"data\":\"" + b64(MESSAGE) + "\"}"))
                .willReturn(json(200, signBody(RSA_ID, b64(SIGNATURE)))));
        server.stubFor(kms(post(urlPathEqualTo(path(RSA_ID, "verify")))).atPriority(9)
                .willReturn(json(200, verifyBody(RSA_ID, false))));
        server.stubFor(kms(post(urlPathEqualTo(path(RSA_ID, "verify"))))
                .withRequestBody(equalToJson("{\"signingAlgorithm\":\"" + SIGNING_ALGORITHM + "\",\"isDigest\":false,"
                        + "\"data\":\"" + b64(MESSAGE) + "\",\"signature\":\"" + b64(SIGNATURE) + "\"}"))
                .willReturn(json(200, verifyBody(RSA_ID, true))));
        server.stubFor(kms(post(urlPathEqualTo(path(AES_ID, "encrypt"))))
                .withRequestBody(equalToJson("{\"plaintext\":\"" + b64(PLAINTEXT) + "\"}"))
                .willReturn(json(200, "{\"ciphertext\":\"" + b64(CIPHERTEXT) + "\"}")));
        server.stubFor(kms(post(urlPathEqualTo(path(AES_ID, "encrypt"))))
                .withRequestBody(equalToJson("{\"plaintext\":\"" + b64(WRAPPED_KEY_BYTES) + "\"}"))
                .willReturn(json(200, "{\"ciphertext\":\"" + b64(WRAPPED) + "\"}")));
        server.stubFor(kms(post(urlPathEqualTo(path(AES_ID, "decrypt"))))
                .withRequestBody(equalToJson("{\"ciphertext\":\"" + b64(CIPHERTEXT) + "\"}"))
                .willReturn(json(200, "{\"plaintext\":\"" + b64(PLAINTEXT) + "\"}")));
    }

    /** A KMS call must carry one of the tokens this server handed out. */
    private static MappingBuilder kms(MappingBuilder m) {
        return m.atPriority(5).withHeader("Authorization",
                matching("Bearer (" + java.util.regex.Pattern.quote(TOKEN_1) + "|" + java.util.regex.Pattern.quote(TOKEN_2) + ")"));
    }

    /**
     * Answers {@code method path} with {@code response}: only the first time when {@code firstOnly}
     * (the healthy stub answers afterwards), else every time.
     */
    void inject(String method, String path, ResponseDefinitionBuilder response, boolean firstOnly) {
        MappingBuilder m = (method.equals("GET") ? get(urlPathEqualTo(path)) : post(urlPathEqualTo(path)))
                .atPriority(1).willReturn(response);
        if (firstOnly) {
            m = m.inScenario("fault").whenScenarioStateIs(STARTED).willSetStateTo("healed");
        }
        server.stubFor(m);
    }

    List<LoggedRequest> requests(String method, String path) {
        return server.findAll(requestedFor(method, urlPathEqualTo(path)));
    }

    void forgetRequests() {
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- bodies ------------------------------------------------------------------------

    static String path(String keyId, String operation) {
        return KEYS + "/" + keyId + "/" + operation;
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    static ResponseDefinitionBuilder error(int status, String error, String message) {
        return json(status, "{\"statusCode\":" + status + ",\"message\":\"" + message + "\",\"error\":\"" + error + "\"}");
    }

    static String tokenBody(String token) {
        return "{\"accessToken\":\"" + token + "\",\"expiresIn\":7200,\"accessTokenMaxTTL\":86400,\"tokenType\":\"Bearer\"}";
    }

    static String signBody(String keyId, String signatureB64) {
        return "{\"signature\":\"" + signatureB64 + "\",\"keyId\":\"" + keyId + "\",\"signingAlgorithm\":\""
                + SIGNING_ALGORITHM + "\"}";
    }

    static String verifyBody(String keyId, boolean valid) {
        return "{\"signatureValid\":" + valid + ",\"keyId\":\"" + keyId + "\",\"signingAlgorithm\":\""
                + SIGNING_ALGORITHM + "\"}";
    }

    /** The project's listing, every key saying it belongs to {@code projectId}. */
    static String listBody(String projectId) {
        return "{\"keys\":[" + keyJson(AES_ID, AES_NAME, "aes-256-gcm", null, projectId) + ","
                + keyJson(RSA_ID, RSA_NAME, "RSA_4096", "sign-verify", projectId) + "],\"totalCount\":2}";
    }

    /** A key object as the 2024 server writes it, plus keyUsage/algorithm when given (newer servers). */
    static String keyJson(String id, String name, String algorithm, String keyUsage, String projectId) {
        return "{\"id\":\"" + id + "\",\"description\":null,\"isDisabled\":false,\"isReserved\":false,\"orgId\":\""
                + ORG_ID + "\",\"name\":\"" + name + "\",\"createdAt\":\"2024-10-03T08:24:12.409Z\",\"updatedAt\":"
                + "\"2024-10-03T08:24:12.409Z\",\"projectId\":\"" + projectId + "\",\"slug\":null,\"version\":1,"
                + "\"encryptionAlgorithm\":\"" + algorithm + "\""
                + (keyUsage == null ? "" : ",\"keyUsage\":\"" + keyUsage + "\",\"algorithm\":\"" + algorithm + "\"") + "}";
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Base64 cut to a length that is not a multiple of four: no strict decoder may accept it. */
    static String truncatedB64(byte[] b) {
        String full = b64(b);
        int cut = full.length() - 5;
        return full.substring(0, cut % 4 == 0 ? cut - 1 : cut);
    }

    // ---- real crypto -------------------------------------------------------------------

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
            g.initialize(4096);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA", "SunRsaSign");
            s.initSign(RSA.getPrivate());
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verifies(byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA", "SunRsaSign");
            s.initVerify(RSA.getPublic());
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Infisical's layout: IV(12) || AES-GCM ciphertext || tag(16) || "v01". */
    private static byte[] seal(byte[] plaintext, int ivSeed) {
        try {
            byte[] iv = new byte[12];
            java.util.Arrays.fill(iv, (byte) ivSeed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            c.init(Cipher.ENCRYPT_MODE, SERVER_AES, new GCMParameterSpec(128, iv));
            byte[] body = c.doFinal(plaintext);
            byte[] out = new byte[12 + body.length + 3];
            System.arraycopy(iv, 0, out, 0, 12);
            System.arraycopy(body, 0, out, 12, body.length);
            System.arraycopy("v01".getBytes(UTF_8), 0, out, 12 + body.length, 3);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
