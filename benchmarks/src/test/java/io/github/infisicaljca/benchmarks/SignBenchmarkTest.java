package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sign benchmark measures what it claims: real signatures, and the provider's own request replayed raw. */
class SignBenchmarkTest {
    private final SignBenchmark bench = new SignBenchmark();

    @BeforeEach
    void setUp() throws Exception {
        bench.messageBytes = 256;
        bench.setUp();
    }

    @AfterEach
    void tearDown() {
        bench.tearDown();
    }

    @Test
    void providerSignReturnsASignatureTheJdkVerifies() throws Exception {
        assertTrue(jdkVerifies(bench.providerSign()));
    }

    @Test
    void rawPostSendsTheProvidersOwnBodyAndGetsAValidSignature() throws Exception {
        JsonNode sent = new ObjectMapper().readTree(bench.raw().body());
        assertEquals("RSASSA_PKCS1_V1_5_SHA_256", sent.get("signingAlgorithm").asText());
        assertEquals(false, sent.get("isDigest").asBoolean());
        assertEquals(Base64.getEncoder().encodeToString(bench.message()), sent.get("data").asText());

        JsonNode answer = new ObjectMapper().readTree(bench.rawPost());
        assertTrue(jdkVerifies(Base64.getDecoder().decode(answer.get("signature").asText())));
    }

    private boolean jdkVerifies(byte[] signature) throws Exception {
        Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        jdk.initVerify(bench.key().publicKey().jdkPublicKey());
        jdk.update(bench.message());
        return jdk.verify(signature);
    }
}
