package io.github.infisicaljca.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Self-hosted TLS with a private CA made at test time (TlsPki): a server certificate issued by
 * that CA is trusted through {@code infisical.caCertPath} and nowhere else; another CA is not
 * enough; a certificate for another host name is refused (hostname verification stays on). The
 * failures surface as the declared JCA exception, with the KmsException (kind CONNECT) as
 * cause, and are not retried: a counting TCP forwarder proves that one connection was made.
 * Every server is on loopback; the http:// rule is checked by building configurations only.
 */
class TlsTest {
    private static final String PROJECT = "7f09fbf4-97e7-41f5-942d-519848f7217a";
    private static final String AES_ID = "4b535158-4ce3-439c-b2a5-b1bacfaf616c";
    private static final String CLIENT_ID = "c6d42f6d-9eb8-4c74-bdd6-398adfc9181a";
    private static final String CLIENT_SECRET = "tls-client-secret-do-not-leak-77";
    private static final byte[] CIPHERTEXT = new byte[40];
    private static final String ENCRYPT = "/api/v1/kms/keys/" + AES_ID + "/encrypt";

    @TempDir
    static Path dir;
    static TlsPki pki;
    static WireMockServer server;
    static WireMockServer wrongHostServer;
    static CountingForwarder forwarder;

    @BeforeAll
    static void start() throws Exception {
        pki = TlsPki.create(dir);
        server = TlsPki.httpsServer(pki.serverKeystore);
        wrongHostServer = TlsPki.httpsServer(pki.wrongHostKeystore);
        for (WireMockServer s : List.of(server, wrongHostServer)) {
            s.stubFor(post(urlEqualTo("/api/v1/auth/universal-auth/login")).willReturn(okJson(
                    "{\"accessToken\":\"tls-token\",\"expiresIn\":3600,\"accessTokenMaxTTL\":86400,\"tokenType\":\"Bearer\"}")));
            s.stubFor(get(urlPathEqualTo("/api/v1/kms/keys")).withQueryParam("projectId", equalTo(PROJECT))
                    .willReturn(okJson("{\"keys\":[" + keyJson() + "],\"totalCount\":1}")));
            s.stubFor(post(urlEqualTo(ENCRYPT)).withHeader("Authorization", equalTo("Bearer tls-token"))
                    .willReturn(okJson("{\"ciphertext\":\"" + Base64.getEncoder().encodeToString(CIPHERTEXT) + "\"}")));
        }
        forwarder = new CountingForwarder(server.httpsPort());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {forwarder, server::stop, wrongHostServer::stop}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static String keyJson() {
        return "{\"id\":\"" + AES_ID + "\",\"name\":\"tls-aes\",\"description\":null,\"isDisabled\":false,"
                + "\"isReserved\":false,\"orgId\":\"a2666b20-491d-49d3-8608-44d847e41460\",\"projectId\":\"" + PROJECT
                + "\",\"createdAt\":\"2024-10-03T08:24:12.409Z\",\"updatedAt\":\"2024-10-03T08:24:12.409Z\","
                + "\"version\":1,\"encryptionAlgorithm\":\"aes-256-gcm\",\"keyUsage\":\"encrypt-decrypt\"}";
    }

    private static InfisicalConfig.Builder config(String url) {
        return InfisicalConfig.builder().withoutAmbientSources().url(url).clientId(CLIENT_ID).clientSecret(CLIENT_SECRET)
                .projectId(PROJECT).maxRetries(3).connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(20));
    }

    private static KeyStore keyStore(InfisicalProvider p) throws Exception {
        KeyStore ks = KeyStore.getInstance("INFISICAL", p);
        ks.load(null, null);
        return ks;
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void privateCaTrustedThroughCaCertPath(String host) throws Exception {
        InfisicalProvider p = new InfisicalProvider(config("https://" + host + ":" + server.httpsPort())
                .caCertPath(pki.caPem).build());
        assertEquals(1, p.config().caCertificates().size());
        KeyStore ks = keyStore(p);
        assertEquals(List.of("tls-aes"), Collections.list(ks.aliases()));
        Key aes = ks.getKey("tls-aes", null);
        Cipher c = Cipher.getInstance("INFISICAL-AES", p);
        c.init(Cipher.ENCRYPT_MODE, aes);
        int before = server.findAll(postRequestedFor(urlEqualTo(ENCRYPT))).size();
        assertArrayEquals(CIPHERTEXT, c.doFinal(new byte[] {1, 2, 3}));
        assertEquals(before + 1, server.findAll(postRequestedFor(urlEqualTo(ENCRYPT))).size());
    }

    @Test
    void withoutCaCertPathTheJdkTrustStoreRefusesThePrivateCa() throws Exception {
        assertRefusedOnce(config(forwardedUrl()).build(), CertPathBuilderException.class, "certification path");
    }

    @Test
    void trustingAnotherCaIsNotEnough() throws Exception {
        assertRefusedOnce(config(forwardedUrl()).caCertPath(pki.otherCaPem).build(), CertPathBuilderException.class,
                "certification path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void aCertificateForAnotherHostNameIsRefused(String host) throws Exception {
        // The chain itself is trusted by the CA: only the host name is wrong.
        assertChainTrusted(pki.wrongHostKeystore);
        InfisicalConfig config = config("https://" + host + ":" + wrongHostServer.httpsPort()).caCertPath(pki.caPem)
                .build();
        KmsException cause = assertLoadRefused(new InfisicalProvider(config));
        CertificateException hostname = inChain(cause, CertificateException.class);
        assertTrue(hostname.getMessage().contains(host), hostname.getMessage());
        assertEquals(0, wrongHostServer.getAllServeEvents().size(), "nothing may reach the server");
    }

    /** The operation fails with its declared exception, names TLS and the setting, and is tried exactly once. */
    private static void assertRefusedOnce(InfisicalConfig config, Class<? extends Exception> rootCause, String rootPart)
            throws Exception {
        InfisicalProvider p = new InfisicalProvider(config);
        int served = server.getAllServeEvents().size();
        int connections = forwarder.connections.get();
        KmsException cause = assertLoadRefused(p);
        assertTrue(inChain(cause, rootCause).toString().contains(rootPart), cause.toString());
        assertEquals(connections + 1, forwarder.connections.get(), "KeyStore.load: a TLS failure must not be retried");

        // A fresh provider: this one pauses its logins after the failed one (no login storm).
        KeyException e = assertThrows(KeyException.class, () -> new InfisicalProvider(config).key(AES_ID));
        assertSame(KeyException.class, e.getClass());
        assertTls(e);
        assertConnect(e.getCause());
        assertEquals(connections + 2, forwarder.connections.get(), "provider.key: a TLS failure must not be retried");
        assertEquals(served, server.getAllServeEvents().size(), "nothing may reach the server");
    }

    private static KmsException assertLoadRefused(InfisicalProvider p) throws Exception {
        KeyStore ks = KeyStore.getInstance("INFISICAL", p);
        IOException e = assertThrows(IOException.class, () -> ks.load(null, null));
        assertSame(IOException.class, e.getClass());
        assertTls(e);
        return assertConnect(e.getCause());
    }

    private static void assertTls(Exception e) {
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        assertTrue(e.getMessage().contains("infisical.caCertPath"), e.getMessage());
        for (Throwable c = e; c != null; c = c.getCause()) {
            assertFalse(String.valueOf(c.getMessage()).contains(CLIENT_SECRET), "secret in " + c);
        }
    }

    private static KmsException assertConnect(Throwable cause) {
        KmsException k = assertInstanceOf(KmsException.class, cause);
        assertEquals(KmsException.Kind.CONNECT, k.kind(), k.getMessage());
        assertInstanceOf(SSLException.class, k.getCause());
        return k;
    }

    private static <T extends Throwable> T inChain(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the cause chain of " + t, t);
    }

    private static void assertChainTrusted(Path keystore) throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            server.load(in, TlsPki.PASSWORD);
        }
        Certificate[] chain = server.getCertificateChain("server");
        assertEquals(2, chain.length, "the server sends its certificate and the CA's");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        X509Certificate[] x509 = java.util.Arrays.copyOf(chain, chain.length, X509Certificate[].class);
        ((X509TrustManager) tmf.getTrustManagers()[0]).checkServerTrusted(x509, "ECDHE_ECDSA");
    }

    private static String forwardedUrl() {
        return "https://localhost:" + forwarder.port();
    }

    // ---- plain http:// ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"http://kms.example.com", "http://kms.example.com:8080/api", "http://127.0.0.1.nip.io",
        "http://localhost.example.com", "http://10.0.0.1", "http://[::ffff:127.0.0.1]", "HTTP://KMS.EXAMPLE.COM"})
    void plainHttpToANonLoopbackHostIsRefusedUnlessAllowed(String url) {
        InfisicalConfigException e = assertThrows(InfisicalConfigException.class,
                () -> InfisicalConfig.builder().withoutAmbientSources().url(url).accessToken("t").build());
        assertTrue(e.getMessage().contains("infisical.allowInsecureHttp"), e.getMessage());
        InfisicalConfigException viaConfigure = assertThrows(InfisicalConfigException.class,
                () -> new InfisicalProvider().configure("--infisical.url=" + url + "\ninfisical.accessToken=t\n"));
        assertTrue(viaConfigure.getMessage().contains("infisical.allowInsecureHttp"), viaConfigure.getMessage());

        // Allowed explicitly, the configuration and a client build; nothing connects anywhere.
        InfisicalConfig allowed = InfisicalConfig.builder().withoutAmbientSources().url(url).accessToken("t")
                .allowInsecureHttp(true).build();
        assertEquals("http", allowed.url().getScheme());
        assertTrue(allowed.allowInsecureHttp());
        KmsClient.create(allowed).close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:1", "http://127.0.0.1:1", "http://127.1.2.3:1", "http://[::1]:1"})
    void plainHttpToLoopbackIsAllowedWithoutTheFlag(String url) {
        InfisicalConfig c = InfisicalConfig.builder().withoutAmbientSources().url(url).accessToken("t").build();
        assertEquals("http", c.url().getScheme());
        assertFalse(c.allowInsecureHttp());
    }

    @Test
    void aNumericHostThatIsNotAnAddressIsNotTakenForLoopback() {
        // 127.999.0.1 is no IPv4 address: a resolver would look it up as a name, so it is not loopback.
        InfisicalConfigException e = assertThrows(InfisicalConfigException.class, () -> InfisicalConfig.builder()
                .withoutAmbientSources().url("http://127.999.0.1:8080").accessToken("t").build());
        assertTrue(e.getMessage().contains("infisical.url"), e.getMessage());
    }
}
