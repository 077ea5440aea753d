package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.cli.JdkTools.ToolRun;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/code-signing.md, step by step: {@code ./infisical-jca csr} for the KMS key, a CA made
 * and run with {@code keytool} issues the certificate, the chain file goes to
 * {@code infisical.certificateChain.<alias>}, {@code jarsigner -tsa} signs through the KMS
 * (against a loopback RFC 3161 authority), and {@code jarsigner -verify -strict} with a
 * truststore holding only the CA says "jar verified.".
 */
class CodeSigningChainTest {
    private static KmsEmulator kms;
    private static Map<String, String> env;
    private static TestTimestampAuthority tsa;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        kms = KmsEmulator.builder().start();
        env = Map.of("INFISICAL_URL", kms.url().toString(), "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", kms.clientId(),
                "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", kms.clientSecret(), "INFISICAL_PROJECT_ID", kms.projectId());
        ok(keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Try-out CA", "-ext", "bc:c",
                "-validity", "365", "-keystore", path("ca.p12"), "-storepass", "changeit"));
        ok(keytool("-exportcert", "-alias", "ca", "-keystore", path("ca.p12"), "-storepass", "changeit", "-rfc",
                "-file", path("ca.crt")));
        ok(keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.crt"), "-keystore", path("trust.p12"),
                "-storepass", "changeit"));
        KeyStore ca = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("ca.p12"))) {
            ca.load(in, "changeit".toCharArray());
        }
        tsa = new TestTimestampAuthority((PrivateKey) ca.getKey("ca", "changeit".toCharArray()),
                (X509Certificate) ca.getCertificate("ca"));
    }

    @AfterAll
    static void stop() {
        tsa.close();
        kms.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY})
    void csrIssueChainJarsignerTsaVerifyStrict(String key) throws Exception {
        Path chain = issuedChain(key);
        Path jar = jar(key + ".jar");
        long stamped = tsa.issued();

        ToolRun signed = jarsigner(chain, key, "-tsa", tsa.url().toString(), jar.toString(), key);
        assertEquals(0, signed.exit(), signed.output());
        assertTrue(signed.output().contains("jar signed."), signed.output());
        assertTrue(tsa.issued() > stamped, "jarsigner asked the timestamp authority");

        ToolRun verified = JdkTools.run(dir, List.of(JdkTools.tool("jarsigner"), "-verify", "-strict", "-verbose",
                "-certs", "-keystore", path("trust.p12"), "-storepass", "changeit", jar.toString()));
        assertEquals(0, verified.exit(), verified.output());
        assertTrue(verified.output().contains("jar verified."), verified.output());
        assertTrue(verified.output().contains("Signed by \"CN=" + key + " build, O=Example Corp\""), verified.output());
        assertTrue(verified.output().contains("Timestamped by \"CN=Test Timestamp Authority\""), verified.output());
    }

    @Test
    void verifyStrictFailsWhenTheTruststoreHoldsAnotherCa() throws Exception {
        Path chain = issuedChain(KmsEmulator.SIGNING_KEY);
        Path jar = jar("other-ca.jar");
        assertEquals(0, jarsigner(chain, KmsEmulator.SIGNING_KEY, jar.toString(), KmsEmulator.SIGNING_KEY).exit());
        ok(keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-dname", "CN=Another CA", "-ext", "bc:c",
                "-keystore", path("other.p12"), "-storepass", "changeit"));
        ToolRun verified = JdkTools.run(dir, List.of(JdkTools.tool("jarsigner"), "-verify", "-strict",
                "-keystore", path("other.p12"), "-storepass", "changeit", jar.toString()));
        assertNotEquals(0, verified.exit(), verified.output());
    }

    @Test
    void aChainIssuedForAnotherKeyStopsJarsignerWithTheReason() throws Exception {
        Path ecChain = issuedChain(KmsEmulator.EC_SIGNING_KEY);
        Path jar = jar("mismatch.jar");
        ToolRun signed = jarsigner(ecChain, KmsEmulator.SIGNING_KEY, jar.toString(), KmsEmulator.SIGNING_KEY);
        assertNotEquals(0, signed.exit(), signed.output());
        assertTrue(signed.output().contains("certifies another public key than KMS key " + kms.signingKeyId()),
                signed.output());
        assertTrue(!signed.output().contains(kms.clientSecret()), "the client secret is printed");
    }

    /** Steps 1 to 3 of the page: the request, the CA's certificate, the chain file (leaf first). */
    private static Path issuedChain(String key) throws Exception {
        Path csr = dir.resolve(key + ".csr");
        CliRun request = CliRun.run(env, "", "csr", "--key", key, "--subject", "CN=" + key + " build, O=Example Corp",
                "--out", csr.toString());
        assertEquals(0, request.exit(), request.toString());
        Path crt = dir.resolve(key + ".crt");
        ok(keytool("-gencert", "-alias", "ca", "-keystore", path("ca.p12"), "-storepass", "changeit", "-infile",
                csr.toString(), "-rfc", "-outfile", crt.toString(), "-ext", "ku:c=digitalSignature", "-ext",
                "eku=codeSigning", "-validity", "30"));
        Path chain = dir.resolve(key + "-chain.pem");
        Files.writeString(chain, Files.readString(crt) + Files.readString(dir.resolve("ca.crt")));
        return chain;
    }

    private static ToolRun jarsigner(Path chain, String alias, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JdkTools.tool("jarsigner")));
        command.addAll(JdkTools.classPathOptions());
        command.addAll(List.of("-J-Dinfisical.certificateChain." + alias + "=" + chain, "-keystore", "NONE",
                "-storetype", "INFISICAL", "-addprovider", "Infisical", "-storepass", "ignored"));
        command.addAll(List.of(args));
        return JdkTools.run(dir, command, env);
    }

    private static ToolRun keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JdkTools.tool("keytool")));
        command.addAll(List.of(args));
        return JdkTools.run(dir, command);
    }

    private static void ok(ToolRun run) {
        assertEquals(0, run.exit(), run.output());
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    private static Path jar(String name) throws Exception {
        Path jar = dir.resolve(name);
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.putNextEntry(new JarEntry("app/hello.txt"));
            out.write(("hello from " + name).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
