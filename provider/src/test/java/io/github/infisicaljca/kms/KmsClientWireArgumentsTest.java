package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.infisicaljca.kms.WireFixtures.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.Secret;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's own argument checks: each refusal is an IllegalArgumentException thrown before
 * anything is sent (the server sees no request at all), and the limits are exact.
 */
class KmsClientWireArgumentsTest {
    @RegisterExtension
    static WireMockExtension wm = newServer();

    private static final int MAX = 64; // the smallest infisical.maxPayloadBytes the configuration allows
    private static final String KEY = KMS + "/" + TestSupport.KEY_ID;

    private KmsClient client;

    @BeforeEach
    void setUp() {
        client = KmsClient.create(TestSupport.config(wm.baseUrl()).accessToken(TestSupport.TOKEN)
                .maxPayloadBytes(MAX).build(), new TestSupport.RecordingSleeper(), System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    interface Call {
        void run(KmsClient c) throws Exception;
    }

    private static Arguments refused(String what, String messagePart, Call call) {
        return Arguments.of(what, messagePart, call);
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0x5a);
        return b;
    }

    static Stream<Arguments> refusedCalls() {
        String id = TestSupport.KEY_ID;
        byte[] over = filled(MAX + 1);
        SigningAlgorithm ec = SigningAlgorithm.ECDSA_SHA_256;
        return Stream.of(
                refused("empty plaintext", "empty", c -> c.encrypt(id, new byte[0])),
                refused("null plaintext", "empty", c -> c.encrypt(id, null)),
                refused("plaintext over the limit", "maxPayloadBytes", c -> c.encrypt(id, over)),
                refused("empty ciphertext", "empty", c -> c.decrypt(id, new byte[0])),
                refused("empty data to sign", "empty", c -> c.sign(id, ec, new byte[0], false)),
                refused("data to sign over the limit", "maxPayloadBytes", c -> c.sign(id, ec, over, false)),
                refused("data to verify over the limit", "maxPayloadBytes",
                        c -> c.verify(id, ec, over, false, SIGNATURE)),
                refused("empty signature", "empty", c -> c.verify(id, ec, DATA, false, new byte[0])),
                refused("data to MAC over the limit", "maxPayloadBytes", c -> c.generateMac(id, over)),
                refused("empty data to MAC", "empty", c -> c.generateMac(id, new byte[0])),
                refused("data of verify-mac over the limit", "maxPayloadBytes", c -> c.verifyMac(id, over, MAC)),
                refused("empty mac", "empty", c -> c.verifyMac(id, DATA, new byte[0])),
                refused("no signing algorithm", "algorithm", c -> c.sign(id, null, DATA, false)),
                refused("PSS-256 with a digest", "PSS", c -> c.sign(id, SigningAlgorithm.RSASSA_PSS_SHA_256,
                        DIGEST_32, true)),
                refused("PSS-384 with a digest", "PSS", c -> c.sign(id, SigningAlgorithm.RSASSA_PSS_SHA_384,
                        filled(48), true)),
                refused("PSS-512 verify with a digest", "PSS", c -> c.verify(id, SigningAlgorithm.RSASSA_PSS_SHA_512,
                        filled(64), true, SIGNATURE)),
                refused("SHA-256 digest of 31 bytes", "32", c -> c.sign(id, ec, filled(31), true)),
                refused("SHA-256 digest of 33 bytes", "32", c -> c.sign(id, ec, filled(33), true)),
                refused("SHA-384 digest of 32 bytes", "48",
                        c -> c.sign(id, SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384, DIGEST_32, true)),
                refused("SHA-512 digest of 48 bytes", "64",
                        c -> c.verify(id, SigningAlgorithm.ECDSA_SHA_512, filled(48), true, SIGNATURE)),
                refused("null digest", "digest", c -> c.sign(id, ec, null, true)),
                refused("listing: blank project", "projectId", c -> c.listKeys(" ", 0, 10, null)),
                refused("listing: limit 0", "limit", c -> c.listKeys(TestSupport.PROJECT_ID, 0, 0, null)),
                refused("listing: limit 101", "limit", c -> c.listKeys(TestSupport.PROJECT_ID, 0, 101, null)),
                refused("listing: negative offset", "offset", c -> c.listKeys(TestSupport.PROJECT_ID, -1, 10, null)),
                refused("by name: blank name", "name", c -> c.getKeyByName(TestSupport.PROJECT_ID, "")),
                refused("login: blank client id", "clientId", c -> c.login(" ", Secret.of("s"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refusedCalls")
    void aBadArgumentIsRefusedBeforeAnyRequest(String what, String messagePart, Call call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.run(client));

        assertTrue(e.getMessage().contains(messagePart), what + ": " + e.getMessage());
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    static Stream<Arguments> nonUuidKeyIds() {
        Stream<String> ids = Stream.of("not-a-uuid", "", "4b535158-4ce3-439c-b2a5-b1bacfaf616", // one digit short
                "4b535158-4ce3-439c-b2a5-b1bacfaf616cc", "../../auth/token/revoke",
                TestSupport.KEY_ID + "/../" + TestSupport.KEY_ID, "4b535158-4ce3-439c-b2a5-b1bacfaf616g");
        return ids.flatMap(id -> Stream.<Call>of(
                c -> c.encrypt(id, DATA), c -> c.decrypt(id, CIPHERTEXT),
                c -> c.sign(id, SigningAlgorithm.ECDSA_SHA_256, DATA, false),
                c -> c.verify(id, SigningAlgorithm.ECDSA_SHA_256, DATA, false, SIGNATURE),
                c -> c.publicKey(id), c -> c.signingAlgorithms(id), c -> c.generateMac(id, DATA),
                c -> c.verifyMac(id, DATA, MAC), c -> c.getKey(id), c -> c.updateKey(id, KeyUpdate.disable()),
                c -> c.deleteKey(id)).map(call -> Arguments.of(id, call)));
    }

    @ParameterizedTest(name = "[{index}] key id \"{0}\"")
    @MethodSource("nonUuidKeyIds")
    void aKeyIdThatIsNotAUuidIsRefusedBeforeAnyRequest(String keyId, Call call) {
        assertThrows(IllegalArgumentException.class, () -> call.run(client));
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void dataOfExactlyMaxPayloadBytesIsSent() throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/encrypt")).willReturn(ok("{\"ciphertext\":\"" + CIPHERTEXT_B64 + "\"}")));

        assertArrayEquals(CIPHERTEXT, client.encrypt(TestSupport.KEY_ID, filled(MAX)));
        wm.verify(1, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = {"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
            "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512"})
    void aDigestOfTheRightLengthIsSentForEveryNonPssAlgorithm(SigningAlgorithm alg) throws Exception {
        wm.stubFor(any(urlEqualTo(KEY + "/sign")).willReturn(ok("{\"signature\":\"" + SIGNATURE_B64 + "\",\"keyId\":\""
                + TestSupport.KEY_ID + "\",\"signingAlgorithm\":\"" + alg.wireName() + "\"}")));

        assertArrayEquals(SIGNATURE, client.sign(TestSupport.KEY_ID, alg, filled(alg.digestLength()), true));
        assertEquals(1, wm.getAllServeEvents().size());
    }
}
