package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infisicaljca.audit.batch.BatchFixture;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.batch.BatchVerifier;
import io.github.infisicaljca.audit.batch.Finding;
import io.github.infisicaljca.audit.batch.Problem;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Batch seals signed by the KMS emulator over real sockets: one sign call per batch, checked by the JDK alone. */
class BatchKmsTest {
    private static AuditEmulator emu;

    @BeforeAll
    static void start() throws Exception {
        emu = new AuditEmulator();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void clear() {
        emu.kms.clearRequests();
    }

    private static BatchSigner signer(SigningAlgorithm alg) throws Exception {
        return BatchSigner.kms(KmsEventSigner.of(emu.provider,
                alg == SigningAlgorithm.ECDSA_SHA_256 ? emu.ecKey() : emu.rsaKey(), alg));
    }

    @Test
    void thousandEventsInBatchesOfThousandCostOneSignCall() throws Exception {
        BatchSigner s = signer(SigningAlgorithm.RSASSA_PSS_SHA_256);
        emu.kms.clearRequests();
        BatchFixture.Sealed log = BatchFixture.seal(s, BatchFixture.events("a", 1000), 1000);
        assertEquals(1, emu.requests("POST", "/sign").size());
        emu.kms.clearRequests();
        assertEquals(List.of(), BatchFixture.verifier(s).verifyLines(log.lines(), log.checkpoint()).findings());
        assertEquals(List.of(), emu.requests("POST", "/sign"));
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = {"RSASSA_PSS_SHA_256", "RSASSA_PKCS1_V1_5_SHA_256",
        "ECDSA_SHA_256"})
    void kmsSealsVerifyAndTheJdkAloneChecksTheStatementSignature(SigningAlgorithm alg) throws Exception {
        BatchSigner s = signer(alg);
        BatchFixture.Sealed log = BatchFixture.seal(s, BatchFixture.events("a", 7), 3);
        BatchVerifier v = BatchFixture.verifier(s);
        assertEquals(List.of(), v.verifyLines(log.lines(), log.checkpoint()).findings());
        assertTrue(v.verifyEvent(AuditEvent.parse(log.lines().get(4))).isEmpty());

        // The statement rebuilt by hand (RFC 8785 of eight fields, all strings/integers, sorted) and the JDK's verifier
        JsonNode seal = AuditEvent.parse(log.lines().get(4)).json().get("seal");
        String statement = "{\"algorithm\":\"" + seal.get("algorithm").asText() + "\",\"count\":"
                + seal.get("count").asLong() + ",\"keyId\":\"" + seal.get("keyId").asText() + "\",\"prev\":\""
                + seal.get("prev").asText() + "\",\"root\":\"" + seal.get("root").asText() + "\",\"seq\":"
                + seal.get("seq").asLong() + ",\"size\":" + seal.get("size").asLong() + ",\"v\":1}";
        byte[] spki = (alg == SigningAlgorithm.ECDSA_SHA_256 ? emu.ecKey() : emu.rsaKey()).publicKey().getEncoded();
        java.security.PublicKey pub = java.security.KeyFactory.getInstance(alg == SigningAlgorithm.ECDSA_SHA_256
                ? "EC" : "RSA").generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
        assertTrue(KmsSigningTest.jdkVerify(alg, pub, statement.getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(seal.get("signature").asText())));

        // an HMAC verifier under the same key id cannot be tricked into accepting it, nor the reverse (no downgrade)
        BatchSigner hmac = BatchSigner.hmac(io.github.infisicaljca.Secret.of("x"), s.keyId());
        List<Finding> f = BatchFixture.verifier(hmac).verifyLines(log.lines(), null).findings();
        assertTrue(f.stream().allMatch(x -> x.problem() == Problem.UNKNOWN_KEY), f.toString());
    }
}
