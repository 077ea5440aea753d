package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Signature;
import java.time.Duration;
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
 * {@link HttpClient} POST of the very JSON body the provider sent (taken from the emulator's
 * request log) to the same endpoint with the same token. The difference is everything the
 * provider adds: the JCA plumbing, JSON, Base64, the response checks and the local check of
 * the returned signature.
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
    private HttpClient raw;
    private HttpRequest rawRequest;
    private String rawBody;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fixture = BenchFixture.start();
        key = (InfisicalPrivateKey) fixture.key(KmsEmulator.SIGNING_KEY);
        message = new byte[messageBytes];
        new Random(1).nextBytes(message);
        signature = Signature.getInstance("INFISICAL-RSA", fixture.provider());
        providerSign(); // one sign so that the emulator logs the body the provider sends
        rawBody = fixture.lastBody("/sign");
        raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        rawRequest = HttpRequest.newBuilder(URI.create(fixture.kms().url() + "/api/v1/kms/keys/" + key.keyId() + "/sign"))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + fixture.kms().issueToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rawBody)).build();
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
        HttpResponse<byte[]> r = raw.send(rawRequest, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("raw sign answered " + r.statusCode());
        }
        return r.body();
    }

    /** For tests: the JSON the raw benchmark posts. */
    String rawBody() {
        return rawBody;
    }

    InfisicalPrivateKey key() {
        return key;
    }
}
