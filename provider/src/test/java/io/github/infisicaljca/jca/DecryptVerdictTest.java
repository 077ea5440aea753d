package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.SecretKeyTestSupport.bytes;
import static io.github.infisicaljca.jca.SecretKeyTestSupport.inChain;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.KmsApiException;
import java.security.Key;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which failed decrypts say the ciphertext was altered. Both Infisical servers answer a ciphertext
 * that does not authenticate with their catch-all 500, {@code InternalServerError} "Something went
 * wrong" (reference: transcript 27-kms-decrypt-tampered; today's server adds a reqId): only that
 * answer is a verdict on the ciphertext. Any other 500 (a named internal error, a proxy's page) is
 * the server failing, and is said so: an operator must not go looking for tampering in an outage.
 */
class DecryptVerdictTest {
    /** The 2024 server's answer to a tampered ciphertext, byte for byte (transcript 27). */
    static final String REJECTED_2024 = "{\"statusCode\":500,\"message\":\"Something went wrong\",\"error\":\"InternalServerError\"}";
    /** Today's server: the same, with the request id its error handler adds. */
    static final String REJECTED_CURRENT = "{\"reqId\":\"req-Xb3kT9\",\"statusCode\":500,\"error\":\"InternalServerError\","
            + "\"message\":\"Something went wrong\"}";

    private static EmulatorFixture f;
    private static Key aes;
    private static byte[] ciphertext;
    private static byte[] envelope;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        InfisicalProvider p = f.provider();
        aes = f.keyStore(p).getKey(KmsEmulator.ENCRYPTION_KEY, null);
        ciphertext = SecretKeyTestSupport.encrypt(p, aes, bytes(64));
        envelope = EnvelopeSupport.encrypt(p, aes, null, null, bytes(100));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void clear() {
        f.kms.clearFaults();
    }

    /** A fresh provider each time: no data key cached from an earlier decrypt. */
    private static Cipher cipher(String algorithm) throws Exception {
        Cipher c = Cipher.getInstance(algorithm, f.provider());
        c.init(Cipher.DECRYPT_MODE, aes);
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {REJECTED_2024, REJECTED_CURRENT})
    void theServersAnswerToACiphertextThatDoesNotAuthenticateIsABadTag(String answer) throws Exception {
        f.kms.inject("POST", "/decrypt$", Fault.status(500, answer), -1);
        AEADBadTagException direct = assertThrows(AEADBadTagException.class,
                () -> cipher("INFISICAL-AES").doFinal(ciphertext));
        assertTrue(direct.getMessage().contains("altered"), direct.getMessage());
        AEADBadTagException wrapped = assertThrows(AEADBadTagException.class,
                () -> cipher("INFISICAL-ENVELOPE").doFinal(envelope));
        assertTrue(wrapped.getMessage().contains("altered"), wrapped.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "{\"statusCode\":500,\"message\":\"Something went wrong\",\"error\":\"DatabaseError\"}",
        "{\"statusCode\":500,\"message\":\"Failed to connect to the HSM\",\"error\":\"InternalServerError\"}",
        "<html><body><h1>500 Internal Server Error</h1>nginx</body></html>"})
    void anyOther500IsAServerFailureNotTampering(String answer) throws Exception {
        f.kms.inject("POST", "/decrypt$", answer.isEmpty() ? Fault.status(500) : Fault.status(500, answer), -1);
        IllegalBlockSizeException direct = assertThrows(IllegalBlockSizeException.class,
                () -> cipher("INFISICAL-AES").doFinal(ciphertext));
        assertServerFailure(direct);
        IllegalBlockSizeException wrapped = assertThrows(IllegalBlockSizeException.class,
                () -> cipher("INFISICAL-ENVELOPE").doFinal(envelope));
        assertServerFailure(wrapped);

        f.kms.clearFaults();
        assertArrayEquals(bytes(64), cipher("INFISICAL-AES").doFinal(ciphertext), "the ciphertext was fine all along");
    }

    private static void assertServerFailure(Exception e) {
        String m = e.getMessage();
        assertTrue(m.contains("server failure") && m.contains("not a sign of tampering"), m);
        assertFalse(m.contains("altered"), m);
        assertEquals(500, inChain(e, KmsApiException.class).status());
    }
}
