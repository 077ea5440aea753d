package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.tls.AliasKeyManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code tls_handshakes_per_second}: full mutual-TLS 1.3 handshakes (rsa_pss_rsae_sha256), one
 * at a time on loopback, with KMS handles on both sides handed to JSSE by the JDK's "PKIX"
 * KeyManagerFactory over the INFISICAL KeyStore: each handshake costs one remote signature per
 * side. The baseline runs the same handshakes with the same two RSA-4096 keys as ordinary
 * in-memory keys (the JDK signs), and the same certificates, timed in alternating blocks
 * ({@link PairedLatency}). The emulator has no rate limits here: the figure is what the
 * provider and JSSE can do, the server's limit is the target.
 */
final class TlsHandshakeBenchmark implements AutoCloseable {
    static final String SERVER = "tls-bench-server";
    static final String CLIENT = "tls-bench-client";
    /** A self-hosted Infisical's default: 200 sign POSTs a minute per route and address. */
    static final double SELF_HOSTED_SIGNS_PER_SECOND = RateLimits.selfHostedDefault().writes()
            / (double) RateLimits.selfHostedDefault().window().toSeconds();
    private static final int TIMEOUT_MS = 20_000;
    /** Of the baseline's in-memory PKCS12 KeyStores; the INFISICAL KeyStore ignores it. */
    private static final char[] PASSWORD = "bench".toCharArray();

    private final BenchFixture fixture;
    private boolean registered;
    private final Loopback kms;
    private final Loopback ordinary;

    private TlsHandshakeBenchmark(BenchFixture fixture) throws Exception {
        this.fixture = fixture;
        InfisicalProvider provider = fixture.provider();
        KeyPair serverPair = rsa4096();
        KeyPair clientPair = rsa4096();
        fixture.kms().importKey(SERVER, "RSA_4096", serverPair);
        fixture.kms().importKey(CLIENT, "RSA_4096", clientPair);
        KeyStore infisical = KeyStore.getInstance("INFISICAL", provider);
        infisical.load(null, null);
        Certificate serverCert = infisical.getCertificate(SERVER);
        Certificate clientCert = infisical.getCertificate(CLIENT);
        // SunX509 decrypts the PKCS12 keys once, at init; PKIX would decrypt them again (PBKDF2)
        // on every handshake, which would slow the baseline down with work that is not signing.
        SSLContext serverOrdinary = context("SunX509", local(SERVER, serverPair, serverCert), SERVER, clientCert);
        SSLContext clientOrdinary = context("SunX509", local(CLIENT, clientPair, clientCert), CLIENT, serverCert);
        kms = new Loopback(context("PKIX", infisical, SERVER, clientCert),
                context("PKIX", infisical, CLIENT, serverCert));
        try {
            ordinary = new Loopback(serverOrdinary, clientOrdinary);
        } catch (IOException e) {
            kms.close();
            throw e;
        }
    }

    static TlsHandshakeBenchmark start() throws Exception {
        BenchFixture fixture = BenchFixture.start(KmsEmulator.builder().seedKeys(false));
        try {
            TlsHandshakeBenchmark b = new TlsHandshakeBenchmark(fixture);
            // JSSE asks for Signature.getInstance(name) without a provider, as a user's TLS code does.
            InfisicalProvider p = fixture.provider();
            b.registered = Security.getProvider(p.getName()) == null && Security.addProvider(p) > 0;
            return b;
        } catch (Exception | Error e) {
            fixture.close();
            throw e;
        }
    }

    static Figure figure(BenchSettings s) throws Exception {
        try (TlsHandshakeBenchmark b = start()) {
            PairedLatency.Result r = PairedLatency.run(b.kms, b.ordinary, s.pairedWarmup(), s.pairedWindow());
            double withKms = 1e6 / r.p50MicrosA();
            double withJdk = 1e6 / r.p50MicrosB();
            return new Figure("tls_handshakes_per_second", withKms, Figure.Target.atLeast(SELF_HOSTED_SIGNS_PER_SECOND),
                    String.format(Locale.ROOT, "KMS keys on both sides: %.1f handshakes/s (p50 %.1f ms)", withKms,
                            r.p50MicrosA() / 1000),
                    String.format(Locale.ROOT, "the same keys in memory (PKCS12, KeyManagerFactory SunX509), "
                            + "signed by the JDK: %.1f handshakes/s (p50 %.1f ms)", withJdk, r.p50MicrosB() / 1000),
                    "full mutual TLS 1.3 handshakes one at a time on loopback, rsa_pss_rsae_sha256, RSA_4096 keys, "
                            + "KeyManagerFactory PKIX over the INFISICAL KeyStore, a line of data each way, "
                            + r.samplesEach() + " handshakes each in alternating blocks of " + PairedLatency.BLOCK
                            + "; emulator without rate limits; the target is a self-hosted server's default budget "
                            + "of sign POSTs per second and address");
        }
    }

    /** Handshakes with KMS handles on both sides. */
    Loopback kms() {
        return kms;
    }

    /** The same handshakes with the same keys in memory. */
    Loopback ordinary() {
        return ordinary;
    }

    BenchFixture fixture() {
        return fixture;
    }

    private static KeyPair rsa4096() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(4096);
        return g.generateKeyPair();
    }

    private static KeyStore local(String alias, KeyPair pair, Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, pair.getPrivate(), PASSWORD, new Certificate[] {cert});
        return ks;
    }

    private static SSLContext context(String kmfAlgorithm, KeyStore keys, String alias, Certificate peer)
            throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(kmfAlgorithm);
        kmf.init(keys, PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("peer", peer);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(new KeyManager[] {AliasKeyManager.of(kmf, alias)},
                tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public void close() throws IOException {
        try {
            kms.close();
            ordinary.close();
        } finally {
            if (registered) {
                Security.removeProvider(fixture.provider().getName());
            }
            fixture.close();
        }
    }

    /**
     * A server answering one connection at a time on its own thread, and a client whose
     * {@link #run()} is one full handshake: its session is invalidated afterwards, so the next
     * handshake cannot resume it.
     */
    static final class Loopback implements Operation, AutoCloseable {
        private final SSLServerSocket listener;
        private final SSLContext client;
        private final Thread server;
        private final AtomicInteger handshakes = new AtomicInteger();
        private volatile Exception serverFailure;
        private volatile String protocol;

        Loopback(SSLContext serverContext, SSLContext client) throws IOException {
            this.client = client;
            listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 4,
                    InetAddress.getLoopbackAddress());
            SSLParameters p = listener.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3"});
            p.setNeedClientAuth(true);
            listener.setSSLParameters(p);
            server = new Thread(this::serve, "tls-bench-server");
            server.setDaemon(true);
            server.start();
        }

        private void serve() {
            while (!listener.isClosed()) {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(TIMEOUT_MS);
                    s.setTcpNoDelay(true);
                    s.startHandshake();
                    exchange(s, "pong");
                } catch (SocketException e) {
                    if (!listener.isClosed()) {
                        serverFailure = e;
                    }
                } catch (IOException | RuntimeException e) {
                    serverFailure = e;
                }
            }
        }

        @Override
        public void run() throws Exception {
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
                // Small handshake flights would otherwise wait on delayed ACKs (40 ms each on Linux).
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), TIMEOUT_MS);
                s.setSoTimeout(TIMEOUT_MS);
                s.startHandshake();
                String answer = exchange(s, "ping");
                protocol = s.getSession().getProtocol();
                s.getSession().invalidate();
                if (!"pong".equals(answer)) {
                    Exception cause = serverFailure;
                    throw new IOException("the server answered " + answer, cause);
                }
                handshakes.incrementAndGet();
            }
        }

        /** The protocol of the last handshake the client completed. */
        String protocol() {
            return protocol;
        }

        /** Completed handshakes (a line went each way). */
        int handshakes() {
            return handshakes.get();
        }

        private static String exchange(SSLSocket s, String line) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            String got = s.getUseClientMode() ? null : in.readLine();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return s.getUseClientMode() ? in.readLine() : got;
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
