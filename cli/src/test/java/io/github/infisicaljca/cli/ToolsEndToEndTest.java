package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.cli.JdkTools.ToolRun;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.KmsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's own {@code keytool} and {@code jarsigner}, run as child processes with the provider
 * on their class path ({@code -J-cp}) and registered by {@code -addprovider Infisical
 * -providerArg infisical.properties}, against an in-process emulator on loopback.
 */
class ToolsEndToEndTest {
    private static KmsEmulator kms;
    private static Path properties;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        kms = KmsEmulator.builder().start();
        properties = dir.resolve("infisical.properties");
        Files.writeString(properties, "infisical.url=" + kms.url() + "\ninfisical.clientId=" + kms.clientId()
                + "\ninfisical.clientSecret=" + kms.clientSecret() + "\ninfisical.projectId=" + kms.projectId() + "\n");
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private static List<String> providerOptions() {
        List<String> options = new ArrayList<>(JdkTools.classPathOptions());
        options.addAll(List.of("-keystore", "NONE", "-storetype", "INFISICAL", "-addprovider", "Infisical",
                "-providerArg", properties.toString(), "-storepass", "ignored"));
        return options;
    }

    private static ToolRun run(List<String> command) throws Exception {
        return JdkTools.run(dir, command);
    }

    @Test
    void keytoolListsTheProjectsKeys() throws Exception {
        ToolRun r = run(JdkTools.cmd("keytool", List.of("-list"), providerOptions()));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Keystore type: INFISICAL"), r.output());
        assertTrue(r.output().contains("Your keystore contains 4 entries"), r.output());
        for (String name : new String[] {KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY}) {
            assertTrue(r.output().lines().anyMatch(l -> l.startsWith(name + ",") && l.contains("PrivateKeyEntry")),
                    r.output());
        }
        for (String name : new String[] {KmsEmulator.ENCRYPTION_KEY, KmsEmulator.HMAC_KEY}) {
            assertTrue(r.output().lines().anyMatch(l -> l.startsWith(name + ",") && l.contains("SecretKeyEntry")),
                    r.output());
        }
        assertFalse(r.output().contains(kms.clientSecret()), "the client secret is printed");
    }

    @Test
    void jarsignerSignsWithTheRsaKeyAndVerifies() throws Exception {
        signAndVerify(KmsEmulator.SIGNING_KEY, "SHA256withRSA");
    }

    @Test
    void jarsignerSignsWithTheEcKeyAndVerifies() throws Exception {
        signAndVerify(KmsEmulator.EC_SIGNING_KEY, "SHA256withECDSA");
    }

    private void signAndVerify(String key, String sigalg) throws Exception {
        Path jar = dir.resolve(key + ".jar");
        writeJar(jar, "hello from " + key);
        ToolRun signed = run(JdkTools.cmd("jarsigner", providerOptions(), List.of("-sigalg", sigalg, jar.toString(), key)));
        assertEquals(0, signed.exit(), signed.output());
        assertTrue(signed.output().contains("jar signed."), signed.output());

        // Plain jarsigner, no provider: the JDK alone checks the signature.
        ToolRun verified = run(List.of(JdkTools.tool("jarsigner"), "-verify", "-verbose", "-certs", jar.toString()));
        assertEquals(0, verified.exit(), verified.output());
        assertTrue(verified.output().contains("jar verified."), verified.output());
        assertTrue(verified.output().contains("Signed by \"CN=" + key + "\""), verified.output());
        assertTrue(verified.output().contains("Signature algorithm: " + sigalg), verified.output());

        // The signer is the KMS key: the certificate's public key is the key's public key.
        byte[] kmsPublic;
        try (KmsClient client = KmsClient.create(InfisicalConfig.builder().configure(properties.toString())
                .systemProperties(new Properties()).build())) {
            kmsPublic = client.publicKey(kms.keyId(key));
        }
        try (JarFile jf = new JarFile(jar.toFile(), true)) {
            JarEntry e = jf.getJarEntry("app/hello.txt");
            try (InputStream in = jf.getInputStream(e)) {
                in.readAllBytes();
            }
            CodeSigner[] signers = e.getCodeSigners();
            assertNotNull(signers, "the entry is not signed");
            assertArrayEquals(kmsPublic, signers[0].getSignerCertPath().getCertificates().get(0).getPublicKey()
                    .getEncoded());
        }

        // A changed entry under the same signature fails verification.
        Path tampered = dir.resolve(key + "-tampered.jar");
        try (JarFile jf = new JarFile(jar.toFile(), false);
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(tampered))) {
            for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                out.putNextEntry(new JarEntry(e.getName()));
                try (InputStream in = jf.getInputStream(e)) {
                    byte[] b = in.readAllBytes();
                    out.write(e.getName().equals("app/hello.txt") ? "changed".getBytes(StandardCharsets.UTF_8) : b);
                }
                out.closeEntry();
            }
        }
        ToolRun bad = run(List.of(JdkTools.tool("jarsigner"), "-verify", tampered.toString()));
        assertFalse(bad.exit() == 0 && bad.output().contains("jar verified."), bad.output());
    }

    private static void writeJar(Path jar, String text) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f, m)) {
            out.putNextEntry(new JarEntry("app/hello.txt"));
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry("app/data.bin"));
            out.write(new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
            out.closeEntry();
        }
    }
}
