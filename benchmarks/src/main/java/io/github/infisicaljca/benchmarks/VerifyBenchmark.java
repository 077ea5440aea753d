package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalPublicKey;
import io.github.infisicaljca.VerifyMode;
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
 * {@code remote_over_local_verify} and {@code local_verify_ratio}: one {@code INFISICAL-RSA}
 * signature of the emulator's RSA key verified three ways: remotely by the KMS
 * ({@code infisical.verify=remote}), locally through the provider with the handle's cached
 * public key (the default), and by the JDK's own {@code SHA256withRSA} with that same key;
 * and a {@link RawPost} of the provider's verify request, the fastest any remote verify could be.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerifyBenchmark {
    @Param("256")
    public int messageBytes;

    private BenchFixture fixture;
    private byte[] message;
    private byte[] signatureBytes;
    private InfisicalPublicKey localHandle;
    private InfisicalPublicKey remoteHandle;
    private Signature local;
    private Signature remote;
    private Signature jdk;
    private RawPost raw;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fixture = BenchFixture.start();
        InfisicalPrivateKey key = (InfisicalPrivateKey) fixture.key(KmsEmulator.SIGNING_KEY);
        message = new byte[messageBytes];
        new Random(2).nextBytes(message);
        Signature signer = Signature.getInstance("INFISICAL-RSA", fixture.provider());
        signer.initSign(key);
        signer.update(message);
        signatureBytes = signer.sign();

        localHandle = key.publicKey();
        local = Signature.getInstance("INFISICAL-RSA", fixture.provider());
        InfisicalProvider remoteProvider = fixture.newProvider(VerifyMode.REMOTE);
        remoteHandle = ((InfisicalPrivateKey) remoteProvider.key(key.keyId())).publicKey();
        remote = Signature.getInstance("INFISICAL-RSA", remoteProvider);
        jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        remoteVerify(); // logs the body the provider sends, for the raw baseline
        raw = new RawPost(fixture, key.keyId(), "verify", fixture.lastBody("/verify"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public boolean remoteVerify() throws Exception {
        return check(remote, remoteHandle);
    }

    /** Not a figure of its own: the floor of any remote verify on this machine. */
    @Benchmark
    public byte[] rawVerifyPost() throws Exception {
        return raw.send();
    }

    @Benchmark
    public boolean localVerify() throws Exception {
        return check(local, localHandle);
    }

    @Benchmark
    public boolean jdkVerify() throws Exception {
        jdk.initVerify(localHandle.jdkPublicKey());
        jdk.update(message);
        return requireValid(jdk.verify(signatureBytes));
    }

    BenchFixture fixture() {
        return fixture;
    }

    RawPost raw() {
        return raw;
    }

    private boolean check(Signature s, InfisicalPublicKey handle) throws Exception {
        s.initVerify(handle);
        s.update(message);
        return requireValid(s.verify(signatureBytes));
    }

    private static boolean requireValid(boolean valid) {
        if (!valid) {
            throw new IllegalStateException("a valid signature did not verify");
        }
        return true;
    }
}
