package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Remote verification really goes to the KMS; local verification never does. */
class VerifyBenchmarkTest {
    private final VerifyBenchmark bench = new VerifyBenchmark();

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
    void remoteVerifyCallsTheKmsOncePerVerification() throws Exception {
        long before = verifyCalls();
        assertTrue(bench.remoteVerify());
        assertTrue(bench.remoteVerify());
        assertEquals(before + 2, verifyCalls());
    }

    @Test
    void localAndJdkVerifyStayLocal() throws Exception {
        long before = bench.fixture().kms().requests().size();
        assertTrue(bench.localVerify());
        assertTrue(bench.jdkVerify());
        assertEquals(before, bench.fixture().kms().requests().size());
    }

    @Test
    void theRawBaselinePostsTheSameVerifyRequestAndItVerifies() throws Exception {
        assertTrue(bench.remoteVerify());
        assertEquals(bench.fixture().lastBody("/verify"), bench.raw().body());
        assertTrue(new ObjectMapper().readTree(bench.rawVerifyPost()).get("signatureValid").asBoolean());
    }

    private long verifyCalls() {
        return bench.fixture().kms().requests().stream().filter(r -> r.route().endsWith("/verify")).count();
    }
}
