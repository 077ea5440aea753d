package io.github.infisicaljca.conformance.dropin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.tls.AliasKeyManager;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * JSSE as its users run it: mutual TLS 1.3 and 1.2 on loopback where both sides' private keys
 * are KMS handles, handed to JSSE by the JDK's own KeyManagerFactory ("PKIX" and "SunX509")
 * over the provider's INFISICAL KeyStore, and trusted through an ordinary PKCS12 trust store
 * holding the peer's self-signed KeyStore certificate. Besides what each side saw, the
 * emulator's request log proves that each side's CertificateVerify / ServerKeyExchange was
 * signed remotely, once, with the Infisical algorithm of the scheme under test.
 */
class TlsDropInTest {
    /** One handshake: protocol, key kind (key names are tls-server-KIND / tls-client-KIND), scheme. */
    record Case(String protocol, String kind, String scheme, String kmsAlgorithm, String kmf) {
        String label() {
            return protocol + " " + kind + " " + scheme + " via " + kmf + " (" + LoopbackTls.restrictSchemes(
                    new SSLParameters(), scheme) + ")";
        }
    }

    private static final List<Case> CASES = cases();
    /** Session resumption: the same contexts connect three times, only the first handshake signs. */
    private static final List<Case> RESUMED = List.of(
            new Case("TLSv1.3", "rsa", "rsa_pss_rsae_sha256", "RSASSA_PSS_SHA_256", "PKIX"),
            new Case("TLSv1.2", "p256", "ecdsa_secp256r1_sha256", "ECDSA_SHA_256", "PKIX"));

    /**
     * With the provider at position 1, as HSM providers often are: the JDK's verifications of
     * ordinary public keys (the peer's CertificateVerify, the certificates) now meet this
     * provider's engines first, which must hand them to the JDK's own.
     */
    private static final List<Case> FIRST = List.of(
            new Case("TLSv1.3", "rsa", "rsa_pss_rsae_sha256", "RSASSA_PSS_SHA_256", "PKIX"),
            new Case("TLSv1.2", "rsa", "rsa_pkcs1_sha256", "RSASSA_PKCS1_V1_5_SHA_256", "SunX509"),
            new Case("TLSv1.3", "p384", "ecdsa_secp384r1_sha384", "ECDSA_SHA_384", "PKIX"));

    private static KmsEmulator kms;
    private static InfisicalProvider provider;
    private static KeyStore keyStore;
    private static boolean registered;
    private static final Map<String, String> IDS = new ConcurrentHashMap<>();
    private static int run;
    private static int passed;

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (String kmf : List.of("PKIX", "SunX509")) {
            c.add(new Case("TLSv1.3", "rsa", "rsa_pss_rsae_sha256", "RSASSA_PSS_SHA_256", kmf));
            c.add(new Case("TLSv1.2", "rsa", "rsa_pss_rsae_sha256", "RSASSA_PSS_SHA_256", kmf));
            c.add(new Case("TLSv1.2", "rsa", "rsa_pkcs1_sha256", "RSASSA_PKCS1_V1_5_SHA_256", kmf));
            c.add(new Case("TLSv1.3", "p256", "ecdsa_secp256r1_sha256", "ECDSA_SHA_256", kmf));
            c.add(new Case("TLSv1.2", "p256", "ecdsa_secp256r1_sha256", "ECDSA_SHA_256", kmf));
            c.add(new Case("TLSv1.3", "p384", "ecdsa_secp384r1_sha384", "ECDSA_SHA_384", kmf));
            c.add(new Case("TLSv1.2", "p384", "ecdsa_secp384r1_sha384", "ECDSA_SHA_384", kmf));
        }
        return c;
    }

    @BeforeAll
    static void start() throws Exception {
        kms = KmsEmulator.builder().seedKeys(false).start();
        // Imported so that each side has its own key; the private halves live only in the emulator.
        for (String side : List.of("server", "client")) {
            importKey("tls-" + side + "-rsa", "RSA_4096", "RSA", null);
            importKey("tls-" + side + "-p256", "ECC_NIST_P256", "EC", "secp256r1");
            importKey("tls-" + side + "-p384", "ECC_NIST_P384", "EC", "secp384r1");
        }
        provider = new InfisicalProvider(InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString())
                .clientId(kms.clientId()).clientSecret(kms.clientSecret()).projectId(kms.projectId()).build());
        // JSSE asks Signature.getInstance(name) without a provider, as every drop-in user's code does.
        if (Security.getProvider(provider.getName()) == null) {
            Security.addProvider(provider);
            registered = true;
        }
        keyStore = KeyStore.getInstance("INFISICAL", provider);
        keyStore.load(null, null);
    }

    private static void importKey(String name, String kmsAlgorithm, String jdkAlgorithm, String curve)
            throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(jdkAlgorithm);
        if (curve == null) {
            g.initialize(4096);
        } else {
            g.initialize(new ECGenParameterSpec(curve));
        }
        IDS.put(name, kms.importKey(name, kmsAlgorithm, g.generateKeyPair()));
    }

    @AfterAll
    static void stop() {
        if (registered) {
            Security.removeProvider(provider.getName());
        }
        if (kms != null) {
            kms.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> handshakes() {
        Stream<DynamicTest> each = CASES.stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> counted(
                () -> handshake(c))));
        Stream<DynamicTest> resumed = RESUMED.stream().map(c -> DynamicTest.dynamicTest(c.protocol()
                + " resumed twice: one KMS signature per side in all", () -> counted(() -> resumption(c))));
        Stream<DynamicTest> first = FIRST.stream().map(c -> DynamicTest.dynamicTest(c.label()
                + ", provider at position 1", () -> counted(() -> atPositionOne(() -> handshake(c)))));
        return Stream.of(each, resumed, first, Stream.of(DynamicTest.dynamicTest("summary", TlsDropInTest::summary)))
                .flatMap(t -> t);
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void counted(Check check) throws Exception {
        synchronized (TlsDropInTest.class) {
            run++;
        }
        check.run();
        synchronized (TlsDropInTest.class) {
            passed++;
        }
    }

    private static synchronized void summary() {
        String line = "drop-in JSSE: " + run + " run, " + passed + " passed, " + (run - passed) + " failed";
        System.out.println();
        System.out.println(line);
        System.out.flush();
        assertEquals(CASES.size() + RESUMED.size() + FIRST.size(), run, line);
        assertEquals(run, passed, line);
    }

    /** Runs {@code check} with this test's provider first in the JVM's list, then puts the list back. */
    private static void atPositionOne(Check check) throws Exception {
        List<Provider> before = List.of(Security.getProviders());
        Provider previous = Security.getProvider(provider.getName());
        Security.removeProvider(provider.getName());
        Security.insertProviderAt(provider, 1);
        try {
            assertSame(provider, Security.getProviders()[0]);
            check.run();
        } finally {
            Security.removeProvider(provider.getName());
            if (previous != null) {
                Security.insertProviderAt(previous, before.indexOf(previous) + 1);
            }
            assertEquals(before, List.of(Security.getProviders()), "the provider list is back as it was");
        }
    }

    private static void handshake(Case c) throws Exception {
        connect(c, 1);
    }

    /**
     * Connects {@code n} times with the same contexts; the first connection is a full
     * handshake, the next ones may resume its session, so the KMS signs once per side in all.
     */
    private static void resumption(Case c) throws Exception {
        connect(c, 3);
    }

    private static void connect(Case c, int n) throws Exception {
        String serverName = "tls-server-" + c.kind();
        String clientName = "tls-client-" + c.kind();
        X509Certificate serverCert = (X509Certificate) keyStore.getCertificate(serverName);
        X509Certificate clientCert = (X509Certificate) keyStore.getCertificate(clientName);
        assertNotNull(serverCert, serverName);
        assertNotNull(clientCert, clientName);
        AliasKeyManager serverKeys = keyManager(c.kmf(), serverName);
        AliasKeyManager clientKeys = keyManager(c.kmf(), clientName);
        SSLContext server = context(serverKeys, clientCert);
        SSLContext client = context(clientKeys, serverCert);
        int serverSigns = signs(serverName).size();
        int clientSigns = signs(clientName).size();

        List<LoopbackTls.Result> results = LoopbackTls.connections(server, client, p -> {
            p.setProtocols(new String[] {c.protocol()});
            p.setCipherSuites(new String[] {suite(c)});
            LoopbackTls.restrictSchemes(p, c.scheme());
        }, n);

        assertEquals(n, results.size());
        for (LoopbackTls.Result r : results) {
            for (LoopbackTls.View v : List.of(r.client(), r.server())) {
                assertEquals(c.protocol(), v.protocol(), "negotiated protocol");
                assertEquals(suite(c), v.cipherSuite(), "negotiated suite");
            }
            assertEquals("pong from server", r.client().received());
            assertEquals("ping from client", r.server().received());
            // A resumed session keeps the peers' certificates of the handshake it resumes.
            assertEquals(serverCert, r.client().peer()[0], "the client saw the server's KMS key certificate");
            assertEquals(clientCert, r.server().peer()[0], "the server saw the client's KMS key certificate");
            assertEquals(serverCert, r.server().local()[0]);
            assertEquals(clientCert, r.client().local()[0]);
        }
        assertHandle(serverKeys, serverName);
        assertHandle(clientKeys, clientName);
        // Independent of JSSE: the emulator signed once per side, with the scheme's algorithm,
        // however many connections resumed that first handshake.
        assertOneRemoteSign(serverName, serverSigns, c.kmsAlgorithm());
        assertOneRemoteSign(clientName, clientSigns, c.kmsAlgorithm());
    }

    /** Suites whose key exchange the server signs (ECDHE), so TLS 1.2 exercises the server key too. */
    private static String suite(Case c) {
        if (c.protocol().equals("TLSv1.3")) {
            return "TLS_AES_128_GCM_SHA256";
        }
        return c.kind().equals("rsa") ? "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
                : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    }

    private static AliasKeyManager keyManager(String algorithm, String name) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm);
        kmf.init(keyStore, null);
        return AliasKeyManager.of(kmf, name);
    }

    private static SSLContext context(AliasKeyManager keys, X509Certificate peer) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("peer", peer);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        // A fresh context per handshake: no session cache, so every handshake is a full one.
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {keys}, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The key manager offers this key, and JSSE gets its handle (that JSSE used it, the emulator's log shows). */
    private static void assertHandle(AliasKeyManager keys, String name) {
        String alias = keys.chooseServerAlias("RSA", null, null);
        alias = alias != null ? alias : keys.chooseServerAlias("EC", null, null);
        assertNotNull(alias, name + ": the key manager offers no alias");
        InfisicalPrivateKey key = assertInstanceOf(InfisicalPrivateKey.class, keys.getPrivateKey(alias), name);
        assertEquals(IDS.get(name), key.keyId());
        assertEquals(name, key.keyName());
    }

    private static void assertOneRemoteSign(String name, int before, String kmsAlgorithm) {
        List<RecordedRequest> all = signs(name);
        assertEquals(before + 1, all.size(), name + ": KMS sign requests during the handshake");
        RecordedRequest last = all.get(all.size() - 1);
        assertEquals(200, last.status(), last.toString());
        assertTrue(last.body().contains("\"" + kmsAlgorithm + "\""),
                name + ": signed with " + kmsAlgorithm + ", body " + last.body());
    }

    private static List<RecordedRequest> signs(String name) {
        String route = "/" + IDS.get(name) + "/sign";
        return kms.requests().stream().filter(q -> q.method().equals("POST") && q.route().endsWith(route)).toList();
    }
}
