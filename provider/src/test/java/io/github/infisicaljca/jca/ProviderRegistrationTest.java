package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistrationTest {
    /** The contract's Signature names: each standard name with its Infisical algorithm string, if any. */
    private static final Map<String, String> SIGNATURE_ALIASES = Map.of(
            "SHA256withRSA", "RSASSA_PKCS1_V1_5_SHA_256", "SHA384withRSA", "RSASSA_PKCS1_V1_5_SHA_384",
            "SHA512withRSA", "RSASSA_PKCS1_V1_5_SHA_512", "SHA256withECDSA", "ECDSA_SHA_256",
            "SHA384withECDSA", "ECDSA_SHA_384", "SHA512withECDSA", "ECDSA_SHA_512",
            "SHA256withRSA/PSS", "RSASSA_PSS_SHA_256", "SHA384withRSA/PSS", "RSASSA_PSS_SHA_384",
            "SHA512withRSA/PSS", "RSASSA_PSS_SHA_512");
    private static final List<String> OTHER_SIGNATURES = List.of("INFISICAL-RSA", "INFISICAL-RSA-PSS",
            "INFISICAL-ECDSA", "RSASSA-PSS");

    private static EmulatorFixture f;

    @BeforeAll
    static void start() {
        f = new EmulatorFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void addProviderThenGetInstanceByNameResolvesToIt() throws Exception {
        InfisicalProvider p = f.provider();
        assertTrue(Security.addProvider(p) > 0);
        try {
            assertSame(p, Security.getProvider("Infisical"));
            KeyStore ks = KeyStore.getInstance("INFISICAL");
            assertSame(p, ks.getProvider());
            ks.load(null, null);
            Signature s = Signature.getInstance("INFISICAL-RSA");
            assertSame(p, s.getProvider());
            InfisicalPrivateKey key = (InfisicalPrivateKey) ks.getKey(KmsEmulator.SIGNING_KEY, null);
            byte[] msg = "added with Security.addProvider".getBytes(StandardCharsets.UTF_8);
            s.initSign(key);
            s.update(msg);
            Signature v = Signature.getInstance("SHA256withRSA", "SunRsaSign");
            v.initVerify(key.publicKey().jdkPublicKey());
            v.update(msg);
            assertTrue(v.verify(s.sign()));
        } finally {
            Security.removeProvider("Infisical");
        }
        assertNull(Security.getProvider("Infisical"));
    }

    @Test
    void atPositionOneOrdinaryKeysStillGoToTheJdk() throws Exception {
        InfisicalProvider p = f.provider();
        assertEquals(1, Security.insertProviderAt(p, 1));
        try {
            KeyPair jdkKeys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
            Signature ordinary = Signature.getInstance("SHA256withRSA");
            ordinary.initSign(jdkKeys.getPrivate());
            assertNotSame(p, ordinary.getProvider(), "a JDK key must not be sent to Infisical");
            ordinary.update(new byte[] {1, 2, 3});
            ordinary.sign();

            KeyStore ks = KeyStore.getInstance("INFISICAL");
            ks.load(null, null);
            Signature remote = Signature.getInstance("SHA256withRSA");
            remote.initSign((InfisicalPrivateKey) ks.getKey(KmsEmulator.SIGNING_KEY, null));
            assertSame(p, remote.getProvider(), "an Infisical handle goes to Infisical");
        } finally {
            Security.removeProvider("Infisical");
        }
    }

    @Test
    void nameVersionAndInfo() throws Exception {
        InfisicalProvider p = f.provider();
        assertEquals("Infisical", p.getName());
        assertEquals("Infisical", InfisicalProvider.NAME);
        String version = projectVersion();
        Matcher numeric = Pattern.compile("^[0-9]+(\\.[0-9]+)*").matcher(version);
        assertTrue(numeric.find(), version);
        assertEquals(numeric.group(), p.getVersionStr(), "project version " + version);
        assertNotNull(p.getInfo());
        assertFalse(p.getInfo().isBlank());
    }

    @Test
    void everyContractNameAndAliasResolves() throws Exception {
        InfisicalProvider p = f.provider();
        List<String> standard = new ArrayList<>(SIGNATURE_ALIASES.keySet());
        standard.add("RSASSA-PSS");
        for (String name : standard) {
            Provider.Service s = p.getService("Signature", name);
            assertNotNull(s, name);
            assertEquals(name, s.getAlgorithm());
            String classes = s.getAttribute("SupportedKeyClasses");
            assertNotNull(classes, name + " must declare SupportedKeyClasses");
            assertTrue(classes.contains("io.github.infisicaljca.InfisicalPrivateKey"), classes);
            assertNotNull(Signature.getInstance(name, p), name);
        }
        for (String name : OTHER_SIGNATURES) {
            Provider.Service s = p.getService("Signature", name);
            assertNotNull(s, name);
            assertEquals(name, s.getAlgorithm());
            assertNotNull(Signature.getInstance(name, p), name);
        }
        for (Map.Entry<String, String> e : SIGNATURE_ALIASES.entrySet()) {
            Provider.Service s = p.getService("Signature", e.getValue());
            assertNotNull(s, e.getValue());
            assertEquals(e.getKey(), s.getAlgorithm(), e.getValue() + " is an alias of " + e.getKey());
            assertSame(p, Signature.getInstance(e.getValue(), p).getProvider());
        }
        Provider.Service ks = p.getService("KeyStore", "INFISICAL");
        assertNotNull(ks);
        assertSame(p, KeyStore.getInstance("INFISICAL", p).getProvider());
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        Provider found = null;
        for (Provider candidate : ServiceLoader.load(Provider.class)) {
            if (candidate.getName().equals("Infisical")) {
                found = candidate;
            }
        }
        assertNotNull(found, "META-INF/services/java.security.Provider lists the provider");
        assertInstanceOf(InfisicalProvider.class, found);
    }

    @Test
    void configureWithAPathReturnsANewConfiguredProvider(@TempDir Path dir) throws Exception {
        String other = f.kms.addProject();
        Path file = writeProperties(dir.resolve("infisical.properties"), other);
        InfisicalProvider original = f.provider();
        Provider configured = original.configure(file.toString());
        assertNotSame(original, configured);
        InfisicalProvider p = assertInstanceOf(InfisicalProvider.class, configured);
        assertTrue(p.isConfigured());
        assertEquals(other, p.config().projectId().orElseThrow());
        assertEquals(f.kms.url(), p.config().url());
        assertEquals(f.kms.projectId(), original.config().projectId().orElseThrow(), "the original is unchanged");
        assertEquals(List.of(), java.util.Collections.list(f.keyStore(p).aliases()), "the file's (empty) project");
    }

    @Test
    void configureInlineReturnsANewConfiguredProvider() throws Exception {
        Provider fromLoader = null;
        for (Provider candidate : ServiceLoader.load(Provider.class)) {
            if (candidate.getName().equals("Infisical")) {
                fromLoader = candidate;
            }
        }
        assertNotNull(fromLoader);
        Provider configured = fromLoader.configure("--infisical.url=" + f.kms.url() + "\ninfisical.clientId="
                + f.kms.clientId() + "\ninfisical.clientSecret=" + f.kms.clientSecret() + "\ninfisical.projectId="
                + f.kms.projectId() + "\n");
        assertNotSame(fromLoader, configured);
        assertTrue(configured.isConfigured());
        KeyStore ks = KeyStore.getInstance("INFISICAL", configured);
        ks.load(null, null);
        assertTrue(ks.getKey(KmsEmulator.SIGNING_KEY, null) instanceof InfisicalPrivateKey);
    }

    @Test
    void badConfigureArgumentsFailNamingTheProblem(@TempDir Path dir) {
        InfisicalProvider p = f.provider();
        Path missing = dir.resolve("missing.properties");
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> p.configure(missing.toString()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        String secret = "Sup3r-s3cret-value";
        e = assertThrows(InvalidParameterException.class, () -> p.configure("--infisical.url=" + f.kms.url()
                + "\ninfisical.clientId=id\ninfisical.clientSecret=" + secret + "\ninfisical.urll=typo\n"));
        assertTrue(e.getMessage().contains("infisical.urll"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());

        e = assertThrows(InvalidParameterException.class, () -> p.configure("--infisical.url=ftp://example.com"
                + "\ninfisical.clientId=id\ninfisical.clientSecret=" + secret));
        assertTrue(e.getMessage().contains("infisical.url"), e.getMessage());
        assertThrows(InvalidParameterException.class, () -> p.configure(""));
    }

    @Test
    void toStringNeverShowsTheClientSecret() throws Exception {
        Provider p = f.provider().configure("--infisical.url=" + f.kms.url() + "\ninfisical.clientId="
                + f.kms.clientId() + "\ninfisical.clientSecret=" + f.kms.clientSecret() + "\ninfisical.projectId="
                + f.kms.projectId());
        assertFalse(p.toString().contains(f.kms.clientSecret()), p.toString());
        f.keyStore((InfisicalProvider) p).getKey(KmsEmulator.SIGNING_KEY, null); // resolved and logged in
        assertFalse(p.toString().contains(f.kms.clientSecret()), p.toString());
        assertTrue(p.toString().contains("***MASKED***"), p.toString());
        assertTrue(p.toString().contains(f.kms.url().toString()), p.toString());
    }

    @Test
    void noArgProviderReadsSystemPropertiesOnFirstUse() throws Exception {
        Map<String, String> props = Map.of("infisical.url", f.kms.url().toString(),
                "infisical.clientId", f.kms.clientId(), "infisical.clientSecret", f.kms.clientSecret(),
                "infisical.projectId", f.kms.projectId());
        InfisicalProvider p = new InfisicalProvider(); // made before the properties exist
        try {
            props.forEach(System::setProperty);
            assertTrue(Security.addProvider(p) > 0);
            KeyStore ks = KeyStore.getInstance("INFISICAL");
            assertSame(p, ks.getProvider());
            ks.load(null, null);
            assertTrue(ks.getKey(KmsEmulator.SIGNING_KEY, null) instanceof InfisicalPrivateKey);
            assertTrue(p.isConfigured());
            assertEquals(f.kms.projectId(), p.config().projectId().orElseThrow());
        } finally {
            Security.removeProvider("Infisical");
            props.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void securityPropertiesRegistrationWorksInAChildJvm(@TempDir Path dir) throws Exception {
        Path config = writeProperties(dir.resolve("infisical.properties"), f.kms.projectId());
        int position = configuredProviderCount() + 1;
        String output = runRegisteredChild(dir, config.toString());
        assertTrue(output.contains("OK Infisical Infisical " + position), output);
    }

    /**
     * The JDK drops a provider whose {@code configure} throws during java.security registration,
     * saying nothing; the user then sees only "not available". It stays registered instead, and
     * its first use fails with the real reason.
     */
    @Test
    void aBadPathInJavaSecurityKeepsTheProviderAndFailsItsFirstUseWithTheReason(@TempDir Path dir)
            throws Exception {
        Path missing = dir.resolve("no-such-infisical.properties");
        int position = configuredProviderCount() + 1;
        String output = runRegisteredChild(dir, missing.toString(), "misconfigured");
        assertTrue(output.contains("MISCONFIGURED Infisical " + position), output);
        assertTrue(output.contains("configuration file '" + missing + "' does not exist"), output);
    }

    /** Runs {@link RegistrationProbe} in a JVM whose java.security adds the provider with this argument. */
    private static String runRegisteredChild(Path dir, String argument, String... probeArgs) throws Exception {
        int position = configuredProviderCount() + 1;
        Properties security = new Properties();
        security.setProperty("security.provider." + position, InfisicalProvider.class.getName() + " " + argument);
        Path securityFile = dir.resolve("java.security.extra");
        try (OutputStream out = Files.newOutputStream(securityFile)) {
            security.store(out, "appended to the JDK's java.security");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Djava.security.properties=" + securityFile,
                "-cp", System.getProperty("java.class.path"), RegistrationProbe.class.getName()));
        command.addAll(List.of(probeArgs));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("child.out").toFile());
        Process child = pb.start();
        boolean exited = child.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("child.out"));
        assertTrue(exited, "the child JVM did not finish:\n" + output);
        assertEquals(0, child.exitValue(), output);
        return output;
    }

    /** The providers java.security configures: what a child JVM of the same JDK starts with. */
    private static int configuredProviderCount() {
        int n = 0;
        while (Security.getProperty("security.provider." + (n + 1)) != null) {
            n++;
        }
        assertTrue(n > 0, "java.security configures no provider");
        return n;
    }

    private static Path writeProperties(Path file, String projectId) throws IOException {
        Properties p = new Properties();
        p.setProperty("infisical.url", f.kms.url().toString());
        p.setProperty("infisical.clientId", f.kms.clientId());
        p.setProperty("infisical.clientSecret", f.kms.clientSecret());
        p.setProperty("infisical.projectId", projectId);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        return file;
    }

    /** The version in this module's pom (its parent's), read independently of the provider's code. */
    private static String projectVersion() throws IOException {
        String pom = Files.readString(Path.of(System.getProperty("basedir", "."), "pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "no parent version in pom.xml");
        return m.group(1).strip();
    }
}
