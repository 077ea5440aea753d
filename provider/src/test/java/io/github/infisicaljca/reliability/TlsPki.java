package io.github.infisicaljca.reliability;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private PKI made at test time with the JDK's keytool, in child processes: a CA
 * ({@code bc:c}), a server key pair whose certificate request that CA signs with
 * SAN dns:localhost,ip:127.0.0.1, a second server certificate from the same CA for
 * dns:other.example only, and an unrelated second CA. Each server keystore (PKCS12) holds
 * the chain server -> CA, as a real server would send it.
 */
final class TlsPki {
    static final char[] PASSWORD = "changeit".toCharArray();
    private static final String PASS = new String(PASSWORD);

    final Path caPem;
    final Path otherCaPem;
    final Path serverKeystore;
    final Path wrongHostKeystore;

    private TlsPki(Path dir) {
        caPem = dir.resolve("ca.pem");
        otherCaPem = dir.resolve("other-ca.pem");
        serverKeystore = dir.resolve("server.p12");
        wrongHostKeystore = dir.resolve("wrong-host.p12");
    }

    static TlsPki create(Path dir) throws IOException, InterruptedException {
        TlsPki pki = new TlsPki(dir);
        Path ca = dir.resolve("ca.p12");
        Path otherCa = dir.resolve("other-ca.p12");
        newCa(ca, "CN=infisical-jca test private CA", pki.caPem);
        newCa(otherCa, "CN=infisical-jca unrelated CA", pki.otherCaPem);
        issue(dir, ca, pki.caPem, pki.serverKeystore, "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        issue(dir, ca, pki.caPem, pki.wrongHostKeystore, "CN=other.example", "SAN=dns:other.example");
        return pki;
    }

    /** The CA certificate, parsed from its PEM. */
    X509Certificate ca() throws Exception {
        try (InputStream in = Files.newInputStream(caPem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** An HTTPS-only WireMock on loopback serving with this keystore. */
    static WireMockServer httpsServer(Path keystore) {
        WireMockServer s = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .bindAddress("127.0.0.1").keystorePath(keystore.toString()).keystorePassword(PASS)
                .keyManagerPassword(PASS).keystoreType("PKCS12"));
        s.start();
        return s;
    }

    private static void newCa(Path keystore, String dname, Path pem) throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-ext", "bc:c", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASS, "-keypass", PASS);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASS, "-file", pem.toString());
    }

    private static void issue(Path dir, Path ca, Path caPem, Path keystore, String dname, String san)
            throws IOException, InterruptedException {
        String name = keystore.getFileName().toString();
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        String[] store = {"-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASS};
        keytool(concat(new String[] {"-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dname, "-validity", "2", "-keypass", PASS}, store));
        keytool(concat(new String[] {"-certreq", "-alias", "server", "-file", csr.toString()}, store));
        keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASS,
                "-infile", csr.toString(), "-outfile", cert.toString(), "-rfc", "-ext", san,
                "-ext", "eku=serverAuth", "-validity", "2");
        // The CA first, as a trusted entry, so that keytool accepts the reply and stores the chain.
        keytool(concat(new String[] {"-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString()}, store));
        keytool(concat(new String[] {"-importcert", "-alias", "server", "-file", cert.toString()}, store));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // a short-lived JVM starts faster
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
