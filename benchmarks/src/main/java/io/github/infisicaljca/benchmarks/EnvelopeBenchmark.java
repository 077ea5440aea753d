package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code envelope_ratio}: {@code INFISICAL-ENVELOPE} encryption of one message, as a caller
 * does it ({@code init} wraps a fresh data key with the remote key, then one
 * {@code doFinal}), against the JDK's own {@code AES/GCM/NoPadding} with a 256-bit key and a
 * fresh IV over the same bytes, in one call, as a caller would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EnvelopeBenchmark {
    @Param("67108864")
    public int messageBytes;

    private BenchFixture fixture;
    private InfisicalSecretKey kmsKey;
    private Cipher envelope;
    private Cipher jdk;
    private SecretKey aesKey;
    private final byte[] iv = new byte[12];
    private final SecureRandom random = new SecureRandom();
    private byte[] message;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fixture = BenchFixture.start();
        kmsKey = (InfisicalSecretKey) fixture.key(KmsEmulator.ENCRYPTION_KEY);
        envelope = Cipher.getInstance("INFISICAL-ENVELOPE", fixture.provider());
        jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        KeyGenerator g = KeyGenerator.getInstance("AES");
        g.init(256);
        aesKey = g.generateKey();
        message = new byte[messageBytes];
        new java.util.Random(3).nextBytes(message);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public byte[] envelopeEncrypt() throws Exception {
        envelope.init(Cipher.ENCRYPT_MODE, kmsKey);
        return envelope.doFinal(message);
    }

    @Benchmark
    public byte[] jdkAesGcm() throws Exception {
        random.nextBytes(iv);
        jdk.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, iv));
        return jdk.doFinal(message);
    }

    /**
     * Not a figure of its own: the JDK's GCM in calls of the envelope's segment size into one
     * output array, as the envelope writes; the best the JDK does (JDK 17 and 25 run one call
     * over 64 MiB far slower than this, until its JIT compiles that path).
     */
    @Benchmark
    public byte[] jdkAesGcmSegmented() throws Exception {
        int segment = EnvelopeParameterSpec.DEFAULT.segmentSize();
        int segments = (message.length + segment - 1) / segment;
        byte[] out = new byte[message.length + segments * 16];
        int pos = 0;
        for (int off = 0; off < message.length; off += segment) {
            random.nextBytes(iv);
            jdk.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, iv));
            pos += jdk.doFinal(message, off, Math.min(segment, message.length - off), out, pos);
        }
        return out;
    }

    BenchFixture fixture() {
        return fixture;
    }

    byte[] message() {
        return message;
    }

    InfisicalSecretKey kmsKey() {
        return kmsKey;
    }
}
