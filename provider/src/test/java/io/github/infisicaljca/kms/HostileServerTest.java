package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.infisicaljca.kms.WireFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that sends back what it was sent: the bearer token, the plaintext, the data to sign
 * or MAC, the ciphertext, in any field the client might quote (a key id, a project id, a key
 * usage, an error's message, name or reqId), whole or in part. None of it may reach an exception
 * message, its causes, or toString; ids are quoted only when they are UUIDs.
 */
class HostileServerTest {
    @RegisterExtension
    static WireMockExtension wm = newServer();

    private static final String KEY = KMS + "/" + TestSupport.KEY_ID;
    private static final byte[] PLAINTEXT = "MRN 99887766 Jane Doe, diagnosis: confidential".getBytes(StandardCharsets.UTF_8);
    private static final String PLAINTEXT_B64 = Base64.getEncoder().encodeToString(PLAINTEXT);
    private static final byte[] MESSAGE = "pay 1,000,000 EUR to account DE89370400440532013000".getBytes(StandardCharsets.UTF_8);
    private static final String MESSAGE_B64 = Base64.getEncoder().encodeToString(MESSAGE);
    private static final byte[] CIPHER = PLAINTEXT.clone();
    private static final String CIPHER_B64 = PLAINTEXT_B64;
    private static final String TOKEN = TestSupport.TOKEN;

    private KmsClient client;

    @BeforeEach
    void setUp() {
        client = KmsClient.create(TestSupport.config(wm.baseUrl()).accessToken(TOKEN).maxRetries(0).build(),
                new TestSupport.RecordingSleeper(), System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** Nothing of {@code secrets} in any message or toString of the chain. */
    private static void assertNoEcho(Throwable e, String... secrets) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertFalse(String.valueOf(t.getMessage()).contains(secret), "echoed: " + t.getMessage());
                assertFalse(t.toString().contains(secret), "echoed: " + t);
            }
        }
    }

    private static String error(int status, String error, String message) {
        return "{\"statusCode\":" + status + ",\"error\":\"" + error + "\",\"message\":\"" + message + "\"}";
    }

    // ---- 2xx answers: ids and names the client quotes ------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {TOKEN, "Bearer " + TOKEN, "MRN 99887766 Jane Doe"})
    void aKeyIdThatIsNotAUuidIsNotQuoted(String echoed) {
        wm.stubFor(any(urlEqualTo(KEY + "/sign")).willReturn(ok("{\"signature\":\"" + SIGNATURE_B64 + "\",\"keyId\":\""
                + echoed + "\",\"signingAlgorithm\":\"RSASSA_PSS_SHA_256\"}")));
        KmsException e = assertThrows(KmsException.class,
                () -> client.sign(TestSupport.KEY_ID, SigningAlgorithm.RSASSA_PSS_SHA_256, MESSAGE, false));
        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("not a UUID"), e.getMessage());
        assertNoEcho(e, echoed, TOKEN);
    }

    @Test
    void anEncryptAnswerNamingThePlaintextAsItsKeyDoesNotQuoteIt() {
        wm.stubFor(any(urlEqualTo(KEY + "/encrypt"))
                .willReturn(ok("{\"ciphertext\":\"AQID\",\"keyId\":\"" + PLAINTEXT_B64 + "\"}")));
        KmsException e = assertThrows(KmsException.class, () -> client.encrypt(TestSupport.KEY_ID, PLAINTEXT));
        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind());
        assertNoEcho(e, PLAINTEXT_B64);
    }

    @Test
    void anotherKeysUuidIsQuoted() {
        wm.stubFor(any(urlEqualTo(KEY + "/generate-mac")).willReturn(ok("{\"mac\":\"" + MAC_B64 + "\",\"keyId\":\""
                + OTHER_KEY_ID + "\",\"macAlgorithm\":\"HMAC_SHA_256\"}")));
        KmsException e = assertThrows(KmsException.class, () -> client.generateMac(TestSupport.KEY_ID, MESSAGE));
        assertTrue(e.getMessage().contains(OTHER_KEY_ID) && e.getMessage().contains(TestSupport.KEY_ID), e.getMessage());
    }

    private void stubListing(String key) {
        wm.stubFor(any(urlPathEqualTo(KMS)).willReturn(ok("{\"keys\":[" + key + "],\"totalCount\":1}")));
    }

    @Test
    void aListingOfAProjectNamedByTheTokenDoesNotQuoteIt() {
        stubListing(keyJson(keyId(1), "k1", "aes-256-gcm", "encrypt-decrypt").replace(TestSupport.PROJECT_ID, TOKEN));
        KmsException e = assertThrows(KmsException.class, () -> client.listKeys(TestSupport.PROJECT_ID));
        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("another project") && e.getMessage().contains(keyId(1)), e.getMessage());
        assertNoEcho(e, TOKEN);
    }

    @Test
    void aListedKeyWhoseIdIsTheTokenIsRefusedWithoutQuotingIt() {
        stubListing(keyJson(TOKEN, "k1", "aes-256-gcm", "encrypt-decrypt"));
        KmsException e = assertThrows(KmsException.class, () -> client.listKeys(TestSupport.PROJECT_ID));
        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("not a UUID"), e.getMessage());
        assertNoEcho(e, TOKEN);
    }

    @Test
    void anUnknownKeyUsageThatIsTheTokenIsNotQuoted() {
        stubListing(keyJson(keyId(1), "k1", "aes-256-gcm", TOKEN));
        KmsException e = assertThrows(KmsException.class, () -> client.listKeys(TestSupport.PROJECT_ID));
        assertNoEcho(e, TOKEN);
        stubListing(keyJson(keyId(1), "k1", "aes-256-gcm", "kmip-only"));
        KmsException named = assertThrows(KmsException.class, () -> client.listKeys(TestSupport.PROJECT_ID));
        assertTrue(named.getMessage().contains("'kmip-only'"), "a usage-like word is quoted: " + named.getMessage());
    }

    @Test
    void aLoginAnswerWhoseTokenTypeIsTheClientSecretIsRefusedWithoutQuotingIt() {
        wm.stubFor(any(urlEqualTo("/api/v1/auth/universal-auth/login")).willReturn(ok("{\"accessToken\":\"tok-1\","
                + "\"expiresIn\":3600,\"accessTokenMaxTTL\":86400,\"tokenType\":\"" + TestSupport.CLIENT_SECRET + "\"}")));
        KmsException e = assertThrows(KmsException.class,
                () -> client.login(TestSupport.CLIENT_ID, Secret.of(TestSupport.CLIENT_SECRET)));
        assertEquals(KmsException.Kind.MALFORMED_RESPONSE, e.kind());
        assertNoEcho(e, TestSupport.CLIENT_SECRET);
    }

    // ---- error answers echoing the request -----------------------------------------------------

    @Test
    void signDataEchoedInAnErrorIsMasked() {
        wm.stubFor(any(urlEqualTo(KEY + "/sign")).willReturn(json(400, error(400, "BadRequest",
                "cannot sign " + MESSAGE_B64 + " with this key"))));
        KmsApiException e = assertThrows(KmsApiException.class,
                () -> client.sign(TestSupport.KEY_ID, SigningAlgorithm.RSASSA_PSS_SHA_256, MESSAGE, false));
        assertEquals("cannot sign " + Secret.MASK + " with this key", e.serverMessage());
        assertNoEcho(e, MESSAGE_B64);
    }

    @Test
    void macDataEchoedInAnErrorIsMasked() {
        wm.stubFor(any(urlEqualTo(KEY + "/verify-mac")).willReturn(json(422, "{\"statusCode\":422,\"error\":"
                + "\"ValidationFailure\",\"message\":[{\"message\":\"bad data " + MESSAGE_B64 + "\",\"path\":[\"data\"]}]}")));
        KmsApiException e = assertThrows(KmsApiException.class,
                () -> client.verifyMac(TestSupport.KEY_ID, MESSAGE, MAC));
        assertTrue(e.serverMessage().contains(Secret.MASK), e.serverMessage());
        assertNoEcho(e, MESSAGE_B64);
    }

    @Test
    void aCiphertextEchoedInAnErrorIsMasked() {
        wm.stubFor(any(urlEqualTo(KEY + "/decrypt")).willReturn(json(400, error(400, "BadRequest",
                "ciphertext " + CIPHER_B64 + " is not ours"))));
        KmsApiException e = assertThrows(KmsApiException.class, () -> client.decrypt(TestSupport.KEY_ID, CIPHER));
        assertNoEcho(e, CIPHER_B64);
    }

    @Test
    void aPieceOfThePlaintextEchoedInAnErrorIsMasked() {
        String piece = PLAINTEXT_B64.substring(4, 32);
        wm.stubFor(any(urlEqualTo(KEY + "/encrypt")).willReturn(json(400, error(400, "BadRequest",
                "plaintext '" + piece + "...' refused"))));
        KmsApiException e = assertThrows(KmsApiException.class, () -> client.encrypt(TestSupport.KEY_ID, PLAINTEXT));
        assertNoEcho(e, piece);
        assertTrue(e.serverMessage().contains(Secret.MASK), e.serverMessage());
    }

    @Test
    void theTokenAndPlaintextInTheErrorNameAndReqIdAreMasked() {
        wm.stubFor(any(urlEqualTo(KEY + "/encrypt")).willReturn(json(403, "{\"statusCode\":403,\"error\":\"" + TOKEN
                + "\",\"message\":\"denied\",\"reqId\":\"" + PLAINTEXT_B64 + "\"}")));
        KmsApiException e = assertThrows(KmsApiException.class, () -> client.encrypt(TestSupport.KEY_ID, PLAINTEXT));
        assertNoEcho(e, TOKEN, PLAINTEXT_B64);
    }

    // ---- answers the JDK cannot parse, quoting what they held ----------------------------------

    /**
     * A server whose status line is the request's Authorization header and body: the JDK's parser
     * quotes a status line it cannot read in its exception, which the client's message repeats.
     */
    @Test
    void aStatusLineEchoingTheRequestIsMaskedInTheTransportFailure() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    String auth = "";
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        String lower = line.toLowerCase(java.util.Locale.ROOT);
                        auth = lower.startsWith("authorization:") ? line.substring(14).strip() : auth;
                        length = lower.startsWith("content-length:") ? Integer.parseInt(line.substring(15).strip()) : length;
                    }
                    char[] body = new char[length];
                    for (int n = 0; n < length; ) {
                        n += in.read(body, n, length - n);
                    }
                    s.getOutputStream().write(("HTTP/1.1 " + auth + " " + new String(body) + "\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                } catch (IOException ignored) {
                    // the test fails on what the client says, not here
                }
            }, "echoing-server");
            echo.start();
            try (KmsClient c = KmsClient.create(TestSupport.config("http://127.0.0.1:" + server.getLocalPort())
                    .allowInsecureHttp(true).accessToken(TOKEN).maxRetries(0).build(),
                    new TestSupport.RecordingSleeper(), System::nanoTime)) {
                KmsException e = assertThrows(KmsException.class, () -> c.encrypt(TestSupport.KEY_ID, PLAINTEXT));
                assertEquals(KmsException.Kind.IO, e.kind(), e.toString());
                assertNoEcho(e, TOKEN, PLAINTEXT_B64);
            }
            echo.join();
        }
    }
}
