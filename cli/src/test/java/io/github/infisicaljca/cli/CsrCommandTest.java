package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code csr} against an in-process emulator; the requests are read by openssl ({@code req -verify})
 * and by the JDK's keytool, which issues a certificate from them.
 */
class CsrCommandTest {
    private static final String DN = "CN=build.example.com, O=Example, C=DE";
    private static KmsEmulator kms;
    private static Map<String, String> env;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.builder().start();
        env = KeyCommandsTest.env(kms, true);
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private static CliRun csr(String... args) {
        List<String> all = new ArrayList<>(List.of("csr"));
        all.addAll(List.of(args));
        return CliRun.run(env, "", all.toArray(new String[0])).assertNoSecrets(kms.clientSecret());
    }

    /** Exit status and output (stdout and stderr together) of a program, killed after a minute. */
    private record Exec(int exit, String output) {
        static Exec of(List<String> command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running: " + command);
            return new Exec(p.exitValue(), output);
        }
    }

    private static Path openssl() {
        String path = System.getenv().getOrDefault("PATH", "");
        Path found = Stream.concat(Arrays.stream(path.split(File.pathSeparator)).map(d -> Path.of(d, "openssl")),
                Stream.of(Path.of("/usr/bin/openssl"))).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, "openssl is not installed");
        return found;
    }

    /** {@code openssl req -verify} on the PEM, which must pass; returns its {@code -text} dump. */
    private Exec opensslVerifies(String pem) throws Exception {
        Path file = Files.writeString(dir.resolve("req-" + System.nanoTime() + ".pem"), pem);
        Exec verify = Exec.of(List.of(openssl().toString(), "req", "-verify", "-noout", "-in", file.toString()));
        assertEquals(0, verify.exit(), verify.output());
        assertTrue(verify.output().contains("verify OK"), verify.output());
        Exec text = Exec.of(List.of(openssl().toString(), "req", "-noout", "-text", "-nameopt", "RFC2253", "-in",
                file.toString()));
        assertEquals(0, text.exit(), text.output());
        return text;
    }

    private static void assertPem(String pem) {
        List<String> lines = pem.lines().toList();
        assertEquals("-----BEGIN CERTIFICATE REQUEST-----", lines.get(0), pem);
        assertEquals("-----END CERTIFICATE REQUEST-----", lines.get(lines.size() - 1), pem);
        for (String l : lines.subList(1, lines.size() - 1)) {
            assertTrue(l.length() <= 64 && l.matches("[A-Za-z0-9+/=]+"), l);
        }
        assertTrue(lines.subList(1, lines.size() - 2).stream().allMatch(l -> l.length() == 64), pem);
    }

    @ParameterizedTest
    @CsvSource({
        "signing-key,    '',                        sha256WithRSAEncryption",
        "signing-key,    RSASSA_PKCS1_V1_5_SHA_512, sha512WithRSAEncryption",
        "signing-key,    RSASSA_PSS_SHA_256,        rsassaPss",
        "signing-key,    RSASSA_PSS_SHA_384,        rsassaPss",
        "ec-signing-key, '',                        ecdsa-with-SHA256",
        "ec-signing-key, ECDSA_SHA_384,             ecdsa-with-SHA384",
    })
    void opensslVerifiesTheRequest(String key, String alg, String opensslName) throws Exception {
        CliRun r = alg.isEmpty() ? csr("--key", key, "--subject", DN) : csr("--key", key, "--subject", DN, "--alg", alg);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
        assertPem(r.out());
        String text = opensslVerifies(r.out()).output();
        assertTrue(text.contains("Signature Algorithm: " + opensslName), text);
        assertTrue(text.contains("Subject: CN=build.example.com,O=Example,C=DE"), text);
        if (alg.startsWith("RSASSA_PSS")) {
            String hash = alg.substring(alg.length() - 3);
            assertTrue(text.contains("Hash Algorithm: sha" + hash), text);
            assertTrue(text.contains("Mask Algorithm: mgf1 with sha" + hash), text);
            assertTrue(text.contains(String.format("Salt Length: 0x%02X", Integer.parseInt(hash) / 8)), text);
            assertTrue(text.contains("Trailer Field: 0x01"), text);
        }
    }

    @Test
    void opensslRefusesTheRequestOnceOneSignatureBitFlips() throws Exception {
        CliRun r = csr("--key", "signing-key", "--subject", DN, "--alg", "RSASSA_PSS_SHA_256");
        assertEquals(0, r.exit(), r::toString);
        String body = r.out().replaceAll("-----[A-Z ]+-----|\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        der[der.length - 1] ^= 1; // the last byte of the signature BIT STRING
        Path file = Files.writeString(dir.resolve("tampered.pem"), "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n");
        Exec verify = Exec.of(List.of(openssl().toString(), "req", "-verify", "-noout", "-in", file.toString()));
        // OpenSSL 3.0 exits 0 even then: the verdict is the text, which is why opensslVerifies reads it too.
        assertTrue(verify.output().contains("verify failure"), verify.output());
        assertFalse(verify.output().contains("verify OK"), verify.output());
    }

    @Test
    void subjectAltNamesAreRepeatableAndCommaSeparated() throws Exception {
        CliRun r = csr("--key", "ec-signing-key", "--subject", DN, "--san", "DNS:build.example.com,IP:10.0.0.1",
                "--san", "IP:2001:db8::1", "--san=email:ops@example.com", "--san", "URI:https://build.example.com/");
        assertEquals(0, r.exit(), r::toString);
        String text = opensslVerifies(r.out()).output();
        assertTrue(text.contains("X509v3 Subject Alternative Name:"), text);
        assertTrue(text.contains("DNS:build.example.com, IP Address:10.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1, "
                + "email:ops@example.com, URI:https://build.example.com/"), text);
        assertTrue(text.contains("Requested Extensions:"), text);
    }

    @ParameterizedTest
    @CsvSource({"signing-key, ''", "signing-key, RSASSA_PSS_SHA_256", "ec-signing-key, ''"})
    void keytoolIssuesACertificateFromTheRequestWrittenToOut(String key, String alg) throws Exception {
        Path req = dir.resolve("req.pem");
        List<String> args = new ArrayList<>(List.of("--key", key, "--subject", DN, "--san", "DNS:build.example.com",
                "--out", req.toString()));
        if (!alg.isEmpty()) {
            args.addAll(List.of("--alg", alg));
        }
        CliRun r = csr(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.out(), "--out: nothing on stdout");
        assertPem(Files.readString(req));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(req), files.toList(), "no temporary file is left");
        }

        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path ca = dir.resolve("ca.p12");
        Exec gen = Exec.of(List.of(keytool, "-genkeypair", "-keystore", ca.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Test CA", "-ext", "bc:c", "-validity", "2"));
        assertEquals(0, gen.exit(), gen.output());
        Path cert = dir.resolve("cert.pem");
        Exec issue = Exec.of(List.of(keytool, "-gencert", "-keystore", ca.toString(), "-storepass", "changeit",
                "-alias", "ca", "-infile", req.toString(), "-outfile", cert.toString(), "-rfc", "-ext", "honored=all",
                "-validity", "1"));
        assertEquals(0, issue.exit(), issue.output());

        X509Certificate issued;
        try (var in = Files.newInputStream(cert)) {
            issued = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertEquals(new X500Principal(DN), issued.getSubjectX500Principal());
        assertEquals(new X500Principal("CN=Test CA"), issued.getIssuerX500Principal());
        assertEquals(List.of(List.of(2, "build.example.com")), new ArrayList<>(issued.getSubjectAlternativeNames()));
        // The certified key is the KMS key's: its public half as the KeyStore shows it.
        CliRun sign = CliRun.run(env, "message", "sign", "--key", key, "--base64");
        assertEquals(0, sign.exit(), sign::toString);
        java.security.Signature v = java.security.Signature.getInstance(key.startsWith("ec") ? "SHA256withECDSA"
                : "SHA256withRSA");
        v.initVerify(issued.getPublicKey());
        v.update("message".getBytes(StandardCharsets.UTF_8));
        assertTrue(v.verify(Base64.getDecoder().decode(sign.out().strip())), "the certificate's key is not the KMS key");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "2 | --subject DN is required                                 | --key, signing-key",
        "2 | is not a distinguished name                              | --key, signing-key, --subject, not a dn",
        "2 | --subject 'CN=a,=b' is not a distinguished name          | --key, signing-key, --subject, 'CN=a,=b'",
        "2 | --san: unknown subjectAltName type 'FOO' in 'FOO:bar'    | --key, signing-key, --subject, CN=a, --san, FOO:bar",
        "2 | --san: IP address '10.0.0.999' is not an IPv4            | --key, signing-key, --subject, CN=a, --san, 'DNS:a.example,IP:10.0.0.999'",
        "2 | --alg ECDSA_SHA_256 does not fit key signing-key         | --key, signing-key, --subject, CN=a, --alg, ECDSA_SHA_256",
        "2 | --alg RSASSA_PSS_SHA_256 does not fit key ec-signing-key | --key, ec-signing-key, --subject, CN=a, --alg, RSASSA_PSS_SHA_256",
        "2 | --alg 'SHA256withRSA' is not an Infisical signing algorithm | --key, signing-key, --subject, CN=a, --alg, SHA256withRSA",
        "2 | it cannot sign a certification request                   | --key, encryption-key, --subject, CN=a",
        "2 | --key is required                                        | --subject, CN=a",
        "2 | option --subject is given twice                          | --key, signing-key, --subject, CN=a, --subject, CN=b",
        "1 | no key 'no-such-key'                                     | --key, no-such-key, --subject, CN=a",
    })
    void errorsExitWithAMessageAndWriteNoFile(int exit, String message, String args) throws Exception {
        Path out = dir.resolve("req.pem");
        List<String> joined = rejoin(args);
        joined.addAll(List.of("--out", out.toString()));
        CliRun r = csr(joined.toArray(new String[0]));
        assertEquals(exit, r.exit(), r::toString);
        assertTrue(r.err().contains(message), r::toString);
        assertEquals("", r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "an error writes no file");
        }
    }

    @Test
    void anUnreachableKmsExits1AndWritesNoFile() throws Exception {
        Map<String, String> gone;
        try (KmsEmulator stopped = KmsEmulator.builder().start()) {
            gone = KeyCommandsTest.env(stopped, true);
        }
        Path out = dir.resolve("req.pem");
        CliRun r = CliRun.run(gone, "", "csr", "--key", "signing-key", "--subject", DN, "--out", out.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("infisical-jca: "), r::toString);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "a failure writes no file");
        }
    }

    /** Splits {@code a, 'b,c', d} at the commas outside quotes. */
    private static List<String> rejoin(String args) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : args.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().strip());
        return out;
    }

    @Test
    void helpDescribesTheOptions() {
        CliRun r = CliRun.run(Map.of(), "", "csr", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("usage: infisical-jca csr --key K --subject DN"), r.out());
        assertTrue(r.out().contains("DNS:build.example.com"), r.out());
        assertFalse(r.out().contains("(coming)"));
        assertArrayEquals(new byte[0], r.err().getBytes(StandardCharsets.UTF_8));
    }
}
