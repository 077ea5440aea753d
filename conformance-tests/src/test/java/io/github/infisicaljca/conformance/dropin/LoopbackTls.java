package io.github.infisicaljca.conformance.dropin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One mutual-TLS handshake over real loopback sockets, with a line of application data each
 * way. Every blocking step has a timeout, so a failing handshake fails the test, never hangs it.
 */
final class LoopbackTls {
    static final int TIMEOUT_MS = 20_000;

    /** What one side saw once the data went through. */
    record View(String protocol, String cipherSuite, Certificate[] local, Certificate[] peer, String received) {
        static View of(SSLSession s, String received) throws IOException {
            return new View(s.getProtocol(), s.getCipherSuite(), s.getLocalCertificates(), s.getPeerCertificates(),
                    received);
        }
    }

    record Result(View client, View server) {
    }

    private LoopbackTls() {
    }

    /**
     * Runs a handshake; {@code params} shapes both sides' SSLParameters (protocols, suites,
     * schemes), and the server always requires a client certificate.
     */
    static Result handshake(SSLContext server, SSLContext client, Consumer<SSLParameters> params) throws Exception {
        return connections(server, client, params, 1).get(0);
    }

    /**
     * {@code n} connections one after the other to one listener, with the same two contexts:
     * the client may resume the first connection's session in the next ones.
     */
    static List<Result> connections(SSLContext server, SSLContext client, Consumer<SSLParameters> params, int n)
            throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, n,
                InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(TIMEOUT_MS);
            SSLParameters sp = listener.getSSLParameters();
            params.accept(sp);
            sp.setNeedClientAuth(true);
            listener.setSSLParameters(sp);
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Future<View> serverSide = pool.submit(() -> {
                    try (SSLSocket s = (SSLSocket) listener.accept()) {
                        s.setSoTimeout(TIMEOUT_MS);
                        s.startHandshake();
                        String got = exchange(s, "pong from server");
                        return View.of(s.getSession(), got);
                    }
                });
                View clientView;
                try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
                    s.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), TIMEOUT_MS);
                    s.setSoTimeout(TIMEOUT_MS);
                    SSLParameters cp = s.getSSLParameters();
                    params.accept(cp);
                    s.setSSLParameters(cp);
                    s.startHandshake();
                    clientView = View.of(s.getSession(), exchange(s, "ping from client"));
                } catch (IOException e) {
                    // The side that sent the alert knows why: keep its failure beside the client's.
                    try {
                        serverSide.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    } catch (ExecutionException serverFailure) {
                        e.addSuppressed(serverFailure.getCause());
                    }
                    throw e;
                }
                results.add(new Result(clientView, serverSide.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends a line and reads the peer's: the client speaks first, the server answers. */
    private static String exchange(SSLSocket s, String line) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        boolean client = s.getUseClientMode();
        String got = client ? null : in.readLine();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return client ? in.readLine() : got;
    }

    /**
     * Restricts the signature schemes: through {@code SSLParameters.setSignatureSchemes} where
     * the JDK has it (19+); otherwise, since JDK 17 reads {@code jdk.tls.*.SignatureSchemes}
     * once per JVM, only "rsa_pkcs1_sha256" can be forced, by constraints that refuse PSS (the
     * JDK then neither offers nor picks a PSS scheme). Other schemes are the JDK 17 default
     * choice for their key anyway. Returns how the restriction was made, for the test's name.
     */
    static String restrictSchemes(SSLParameters p, String scheme) {
        try {
            SSLParameters.class.getMethod("setSignatureSchemes", String[].class).invoke(p,
                    (Object) new String[] {scheme});
            return "setSignatureSchemes";
        } catch (NoSuchMethodException e) {
            if (scheme.startsWith("rsa_pkcs1")) {
                p.setAlgorithmConstraints(NO_PSS);
                return "constraints without PSS";
            }
            return "JDK default";
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Denies every RSASSA-PSS algorithm, permits the rest (the JDK's own constraints still apply). */
    private static final AlgorithmConstraints NO_PSS = new AlgorithmConstraints() {
        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
            return !algorithm.toUpperCase(Locale.ROOT).contains("PSS");
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            return true;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
                AlgorithmParameters parameters) {
            return permits(primitives, algorithm, parameters);
        }
    };
}
