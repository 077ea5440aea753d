package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.infisicaljca.EnvelopeParameterSpec;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The envelope side makes one remote wrap per message and real ciphertext; the JDK side real GCM. */
class EnvelopeBenchmarkTest {
    private final EnvelopeBenchmark bench = new EnvelopeBenchmark();

    @BeforeEach
    void setUp() throws Exception {
        bench.messageBytes = 1 << 20; // the figure uses 64 MiB; the path is the same
        bench.setUp();
    }

    @AfterEach
    void tearDown() {
        bench.tearDown();
    }

    @Test
    void eachEnvelopeEncryptionWrapsOneDataKeyAndDecryptsBack() throws Exception {
        long before = encryptCalls();
        byte[] sealed = bench.envelopeEncrypt();
        assertEquals(before + 1, encryptCalls());
        Cipher d = Cipher.getInstance("INFISICAL-ENVELOPE", bench.fixture().provider());
        d.init(Cipher.DECRYPT_MODE, bench.kmsKey());
        assertArrayEquals(bench.message(), d.doFinal(sealed));
    }

    @Test
    void theJdkSideIsAes256GcmWithA16ByteTag() throws Exception {
        assertEquals(bench.message().length + 16, bench.jdkAesGcm().length);
    }

    @Test
    void theSegmentedJdkSideRunsOverTheWholeMessageLocally() throws Exception {
        long before = bench.fixture().kms().requests().size();
        int segments = bench.message().length / EnvelopeParameterSpec.DEFAULT.segmentSize();
        assertEquals(bench.message().length + 16 * segments, bench.jdkAesGcmSegmented().length);
        assertEquals(before, bench.fixture().kms().requests().size());
    }

    private long encryptCalls() {
        return bench.fixture().kms().requests().stream().filter(r -> r.route().endsWith("/encrypt")).count();
    }
}
