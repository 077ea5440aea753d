package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalPublicKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JCA's delayed provider selection: with the provider installed (first or last),
 * {@code Signature.getInstance(name)} without a provider name sends Infisical handles to
 * Infisical and ordinary keys to the JDK's providers, because the standard names declare
 * {@code SupportedKeyClasses}.
 */
class DelayedSelectionTest {
    private static final byte[] MSG = "delayed provider selection".getBytes(StandardCharsets.UTF_8);
    private static final String HANDLES = "io.github.infisicaljca.InfisicalPrivateKey|io.github.infisicaljca.InfisicalPublicKey";

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static InfisicalPrivateKey rsaHandle;
    private static InfisicalPrivateKey ecHandle;
    private static KeyPair rsaPlain;
    private static KeyPair ecPlain;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        provider = f.provider();
        KeyStore ks = f.keyStore(provider);
        rsaHandle = EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY);
        ecHandle = EmulatorFixture.privateKey(ks, KmsEmulator.EC_SIGNING_KEY);
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsaPlain = g.generateKeyPair();
        ecPlain = EmulatorFixture.ecKeyPair("secp256r1");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void uninstall() {
        Security.removeProvider(InfisicalProvider.NAME);
        assertNull(Security.getProvider(InfisicalProvider.NAME));
    }

    @ParameterizedTest
    @CsvSource({"SHA256withRSA, rsa", "SHA512withRSA, rsa", "SHA256withECDSA, ec",
        "SHA384withECDSA, ec"})
    void firstInLineInfisicalTakesOnlyItsHandles(String name, String which) throws Exception {
        install(1);
        assertEquals(InfisicalProvider.NAME, Security.getProviders()[0].getName());
        boolean isRsa = which.equals("rsa");
        KeyPair plain = isRsa ? rsaPlain : ecPlain;
        InfisicalPrivateKey handle = isRsa ? rsaHandle : ecHandle;

        Signature plainSigner = Signature.getInstance(name);
        init(plainSigner, plain.getPrivate());
        assertNotEquals(InfisicalProvider.NAME, plainSigner.getProvider().getName(), "a plain private key goes to the JDK");
        plainSigner.update(MSG);
        byte[] plainSig = plainSigner.sign();

        Signature plainVerifier = Signature.getInstance(name);
        init(plainVerifier, plain.getPublic());
        assertNotEquals(InfisicalProvider.NAME, plainVerifier.getProvider().getName(), "a plain public key goes to the JDK");
        plainVerifier.update(MSG);
        assertTrue(plainVerifier.verify(plainSig));

        Signature handleSigner = Signature.getInstance(name);
        init(handleSigner, handle);
        assertEquals(provider, handleSigner.getProvider(), "a handle goes to Infisical");
        handleSigner.update(MSG);
        byte[] handleSig = handleSigner.sign();

        Signature handleVerifier = Signature.getInstance(name);
        init(handleVerifier, handle.publicKey());
        assertEquals(provider, handleVerifier.getProvider(), "a public handle goes to Infisical");
        handleVerifier.update(MSG);
        assertTrue(handleVerifier.verify(handleSig));

        Signature detached = Signature.getInstance(name);
        init(detached, handle.publicKey().jdkPublicKey());
        assertNotEquals(InfisicalProvider.NAME, detached.getProvider().getName());
        detached.update(MSG);
        assertTrue(detached.verify(handleSig), "the JDK verifies what Infisical signed");
    }

    @ParameterizedTest
    @CsvSource({"SHA256withRSA, rsa", "SHA384withRSA, rsa", "SHA256withECDSA, ec", "SHA512withECDSA, ec"})
    void lastInLineInfisicalIsStillFoundForItsHandles(String name, String which) throws Exception {
        install(Security.getProviders().length + 1);
        Provider[] all = Security.getProviders();
        assertEquals(InfisicalProvider.NAME, all[all.length - 1].getName());
        InfisicalPrivateKey handle = which.equals("rsa") ? rsaHandle : ecHandle;

        Signature signer = Signature.getInstance(name);
        signer.initSign(handle); // SunRsaSign and SunEC refuse a key without private material
        assertEquals(provider, signer.getProvider());
        signer.update(MSG);
        byte[] sig = signer.sign();

        // The public handle is an ordinary RSAPublicKey/ECPublicKey: the JDK, earlier in line, takes it.
        Signature verifier = Signature.getInstance(name);
        verifier.initVerify(handle.publicKey());
        assertNotEquals(InfisicalProvider.NAME, verifier.getProvider().getName());
        verifier.update(MSG);
        assertTrue(verifier.verify(sig));

        KeyPair plain = which.equals("rsa") ? rsaPlain : ecPlain;
        Signature plainSigner = Signature.getInstance(name);
        plainSigner.initSign(plain.getPrivate());
        assertNotEquals(InfisicalProvider.NAME, plainSigner.getProvider().getName());
    }

    /**
     * RSASSA-PSS takes its parameters after init here: set before, they would make the JCA pick
     * the first provider (Infisical) before seeing the key. The in-process emulator itself signs
     * PSS that way, so the handle's signature is made before the provider is installed.
     */
    @Test
    void firstInLineRsassaPssWithParametersAfterInitChoosesByKey() throws Exception {
        Signature direct = Signature.getInstance("RSASSA-PSS", provider);
        direct.setParameter(pss256());
        direct.initSign(rsaHandle);
        direct.update(MSG);
        byte[] handleSig = direct.sign();
        install(1);

        Signature plainSigner = Signature.getInstance("RSASSA-PSS");
        init(plainSigner, rsaPlain.getPrivate());
        assertNotEquals(InfisicalProvider.NAME, plainSigner.getProvider().getName());
        plainSigner.update(MSG);
        byte[] plainSig = plainSigner.sign();
        Signature plainVerifier = Signature.getInstance("RSASSA-PSS");
        init(plainVerifier, rsaPlain.getPublic());
        assertNotEquals(InfisicalProvider.NAME, plainVerifier.getProvider().getName());
        plainVerifier.update(MSG);
        assertTrue(plainVerifier.verify(plainSig));

        Signature handleSigner = Signature.getInstance("RSASSA-PSS");
        init(handleSigner, rsaHandle);
        assertEquals(provider, handleSigner.getProvider());
        Signature handleVerifier = Signature.getInstance("RSASSA-PSS");
        init(handleVerifier, rsaHandle.publicKey());
        assertEquals(provider, handleVerifier.getProvider());
        handleVerifier.update(MSG);
        assertTrue(handleVerifier.verify(handleSig));
    }

    @Test
    void infisicalNamesNeedNoDelayedSelection() throws Exception {
        install(1);
        Signature s = Signature.getInstance("INFISICAL-ECDSA");
        assertEquals(provider, s.getProvider());
        s.initSign(ecHandle);
        s.update(MSG);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("ECDSA_SHA_256");
        v.initVerify(ecHandle.publicKey());
        assertEquals(provider, v.getProvider());
        v.update(MSG);
        assertTrue(v.verify(sig));
    }

    @Test
    void standardNamesDeclareTheHandleClassesInfisicalNamesDeclareNone() throws Exception {
        Set<String> standard = new TreeSet<>(List.of("SHA256withRSA", "SHA384withRSA", "SHA512withRSA", "SHA256withECDSA",
                "SHA384withECDSA", "SHA512withECDSA", "RSASSA-PSS", "SHA256withRSA/PSS", "SHA384withRSA/PSS",
                "SHA512withRSA/PSS"));
        Set<String> seen = new TreeSet<>();
        for (Provider.Service s : provider.getServices()) {
            if (!s.getType().equals("Signature")) {
                continue;
            }
            seen.add(s.getAlgorithm());
            String classes = s.getAttribute("SupportedKeyClasses");
            if (s.getAlgorithm().startsWith("INFISICAL-")) {
                assertNull(classes, s.getAlgorithm());
                assertTrue(s.supportsParameter(rsaPlain.getPrivate()), s.getAlgorithm() + " takes any key to refuse it clearly");
                continue;
            }
            assertTrue(standard.contains(s.getAlgorithm()), s.getAlgorithm());
            assertNotNull(classes, s.getAlgorithm());
            assertEquals(Set.of(HANDLES.split("\\|")), Set.copyOf(Arrays.asList(classes.split("\\|"))), s.getAlgorithm());
            for (String c : classes.split("\\|")) {
                assertTrue(Class.forName(c).isInterface(), c);
            }
            PrivateKey privateHandle = s.getAlgorithm().contains("ECDSA") ? ecHandle : rsaHandle;
            PublicKey publicHandle = ((InfisicalPrivateKey) privateHandle).publicKey();
            assertTrue(s.supportsParameter(privateHandle), s.getAlgorithm());
            assertTrue(s.supportsParameter(publicHandle), s.getAlgorithm());
            assertTrue(!s.supportsParameter(rsaPlain.getPrivate()) && !s.supportsParameter(ecPlain.getPublic()),
                    s.getAlgorithm());
        }
        Set<String> expected = new TreeSet<>(standard);
        expected.addAll(List.of("INFISICAL-RSA", "INFISICAL-RSA-PSS", "INFISICAL-ECDSA"));
        assertEquals(expected, seen);
        // Aliases resolve to the standard service, with its attributes.
        Provider.Service alias = provider.getService("Signature", "RSASSA_PSS_SHA_384");
        assertEquals("SHA384withRSA/PSS", alias.getAlgorithm());
        assertEquals(HANDLES, alias.getAttribute("SupportedKeyClasses"));
        assertEquals("SHA512withECDSA", provider.getService("Signature", "ECDSA_SHA_512").getAlgorithm());
        assertEquals("SHA256withRSA", provider.getService("Signature", "RSASSA_PKCS1_V1_5_SHA_256").getAlgorithm());
        assertTrue(InfisicalPublicKey.class.isInstance(rsaHandle.publicKey()));
    }

    /**
     * Initialises, then (RSASSA-PSS) sets the parameters: parameters set first would make the JCA
     * pick a provider before it has seen the key.
     */
    private static void init(Signature s, java.security.Key key) throws Exception {
        if (key instanceof PrivateKey) {
            s.initSign((PrivateKey) key);
        } else {
            s.initVerify((PublicKey) key);
        }
        if (s.getAlgorithm().equals("RSASSA-PSS")) {
            s.setParameter(pss256());
        }
    }

    private static PSSParameterSpec pss256() {
        return new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
    }

    private static void install(int position) {
        Security.removeProvider(InfisicalProvider.NAME);
        int at = Security.insertProviderAt(provider, position);
        assertEquals(position, at);
    }
}
