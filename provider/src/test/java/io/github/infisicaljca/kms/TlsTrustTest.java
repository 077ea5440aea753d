package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-hosted TLS: a server certificate from a private CA is trusted only through
 * {@code infisical.caCertPath}; without it the handshake fails once, clearly, and is not retried.
 * The server's key pair is made at test time with the JDK's own keytool.
 */
class TlsTrustTest {
    private static final String ENCRYPT = "/api/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt";

    @TempDir
    static Path dir;
    static Path keystore;
    static Path certPem;
    static WireMockServer server;

    private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();

    @BeforeAll
    static void startHttpsServer() throws Exception {
        keystore = dir.resolve("server.p12");
        certPem = dir.resolve("server.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-file", certPem.toString());
        server = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(keystore.toString()).keystorePassword("changeit")
                .keyManagerPassword("changeit").keystoreType("PKCS12"));
        server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void stub() {
        server.resetAll();
        server.stubFor(post(urlEqualTo(ENCRYPT)).willReturn(okJson("{\"ciphertext\":\"AQIDBA==\"}")));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, p.exitValue(), "keytool " + args[0] + " failed: " + output);
    }

    private static String httpsUrl() {
        return "https://localhost:" + server.httpsPort();
    }

    private KmsClient client(InfisicalConfig config) {
        return KmsClient.create(config, sleeper, new TestSupport.ManualClock()::nanos);
    }

    @Test
    void trustedThroughCaCertPath() throws Exception {
        InfisicalConfig config = TestSupport.config(httpsUrl()).accessToken(TestSupport.TOKEN)
                .caCertPath(certPem).build();
        assertEquals(1, config.caCertificates().size());
        try (KmsClient c = client(config)) {
            assertArrayEquals(new byte[] {1, 2, 3, 4}, c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
        }
        assertEquals(1, server.findAll(postRequestedFor(urlEqualTo(ENCRYPT))).size());
    }

    @Test
    void untrustedCertificateIsAClearConnectFailureAndNotRetried() throws Exception {
        InfisicalConfig config = TestSupport.config(httpsUrl()).accessToken(TestSupport.TOKEN).maxRetries(3).build();
        try (KmsClient c = client(config)) {
            KmsException e = assertThrows(KmsException.class, () -> c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
            assertEquals(KmsException.Kind.CONNECT, e.kind());
            assertFalse(e instanceof KmsApiException);
            assertTrue(e.getMessage().contains("TLS"), e.getMessage());
            assertTrue(e.getMessage().contains("infisical.caCertPath"), e.getMessage());
            assertInstanceOf(SSLException.class, e.getCause());
        }
        // A failed handshake never reaches WireMock's journal: the sleeper proves there was no retry.
        assertEquals(List.of(), sleeper.waits);
        assertEquals(0, server.findAll(postRequestedFor(urlEqualTo(ENCRYPT))).size());
    }

    @Test
    void trustingAnotherCertificateIsNotEnough() throws Exception {
        // A valid PEM bundle, but not the certificate that issued the server's: still untrusted.
        Path otherKeystore = dir.resolve("other.p12");
        Path otherPem = dir.resolve("other.pem");
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=other", "-validity", "2", "-keystore", otherKeystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", otherKeystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-file", otherPem.toString());
        InfisicalConfig config = TestSupport.config(httpsUrl()).accessToken(TestSupport.TOKEN)
                .caCertPath(otherPem).build();
        try (KmsClient c = client(config)) {
            KmsException e = assertThrows(KmsException.class, () -> c.encrypt(TestSupport.KEY_ID, new byte[] {42}));
            assertEquals(KmsException.Kind.CONNECT, e.kind());
        }
        assertEquals(List.of(), sleeper.waits);
    }

    @Test
    void caCertPathThatIsNotPemIsAConfigurationError() throws IOException {
        Path notPem = dir.resolve("not-a-cert.pem");
        Files.writeString(notPem, "this is not a certificate\n");
        InfisicalConfigException e = assertThrows(InfisicalConfigException.class,
                () -> TestSupport.config(httpsUrl()).accessToken(TestSupport.TOKEN).caCertPath(notPem).build());
        assertTrue(e.getMessage().contains("infisical.caCertPath"), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("infisical.caCertPath")), e.problems().toString());
    }

    @Test
    void missingCaCertPathIsAConfigurationError() {
        Path missing = dir.resolve("does-not-exist.pem");
        InfisicalConfigException e = assertThrows(InfisicalConfigException.class,
                () -> TestSupport.config(httpsUrl()).accessToken(TestSupport.TOKEN).caCertPath(missing).build());
        assertTrue(e.getMessage().contains("infisical.caCertPath"), e.getMessage());
    }
}
