package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.security.Signature;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * {@code sign_overhead_ratio}: a provider {@code INFISICAL-RSA} sign against a plain
 * {@link RawPost} of the very JSON body the provider sent (taken from the emulator's
 * request log) to the same endpoint with the same token. The difference is everything the
 * provider adds: the JCA plumbing, JSON, Base64, the response checks and the local check of
 * the returned signature. {@code bench} times the two methods in alternating blocks in one JVM
 * ({@link PairedLatency}); as a JMH benchmark it runs each in its own JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignBenchmark {
    @Param("256")
    public int messageBytes;

    private BenchFixture fixture;
    private Signature signature;
    private InfisicalPrivateKey key;
    private byte[] message;
    private RawPost raw;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fixture = BenchFixture.start();
        key = (InfisicalPrivateKey) fixture.key(KmsEmulator.SIGNING_KEY);
        message = new byte[messageBytes];
        new Random(1).nextBytes(message);
        signature = Signature.getInstance("INFISICAL-RSA", fixture.provider());
        providerSign(); // one sign so that the emulator logs the body the provider sends
        raw = new RawPost(fixture, key.keyId(), "sign", fixture.lastBody("/sign"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public byte[] providerSign() throws Exception {
        signature.initSign(key);
        signature.update(message);
        return signature.sign();
    }

    @Benchmark
    public byte[] rawPost() throws Exception {
        return raw.send();
    }

    /** The emulator and the provider the two methods sign through. */
    BenchFixture fixture() {
        return fixture;
    }

    /** For tests: the baseline. */
    RawPost raw() {
        return raw;
    }

    byte[] message() {
        return message;
    }

    InfisicalPrivateKey key() {
        return key;
    }
}
