package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An Infisical engine handed an ordinary key under a standard name passes the work to the
 * JDK's engine. That is what happens with the provider first in line when the caller sets
 * parameters before {@code init} (as JJWT and Nimbus do for PS256): the JCA fixes the provider
 * then, before it sees the key. Every signature made this way is checked by a JDK engine
 * obtained without Infisical.
 */
class OrdinaryKeyDelegationTest {
    private static final byte[] MSG = "ordinary keys keep working".getBytes(StandardCharsets.UTF_8);

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static InfisicalPrivateKey rsaHandle;
    private static KeyPair rsa;
    private static KeyPair ec;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        provider = f.provider();
        KeyStore ks = f.keyStore(provider);
        rsaHandle = EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        ec = EmulatorFixture.ecKeyPair("secp256r1");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void uninstall() {
        Security.removeProvider(InfisicalProvider.NAME);
    }

    /** JJWT's and Nimbus's PS256 path, and parameters Infisical itself never produces. */
    @ParameterizedTest
    @CsvSource({"SHA-256, SHA-256, 32", "SHA-256, SHA-256, 20", "SHA-512, SHA-1, 0", "SHA-384, SHA-384, 48"})
    void firstInLineRsassaPssWithParametersBeforeInitSignsWithAnOrdinaryKey(String hash, String mgfHash, int salt)
            throws Exception {
        PSSParameterSpec spec = new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(mgfHash), salt, 1);
        Security.insertProviderAt(provider, 1);
        Signature signer = Signature.getInstance("RSASSA-PSS");
        signer.setParameter(spec);
        assertEquals(provider, signer.getProvider(), "parameters before init fix the first provider");
        signer.initSign(rsa.getPrivate());
        signer.update(MSG);
        byte[] sig = signer.sign();
        assertEquals(spec.getSaltLength(), signer.getParameters().getParameterSpec(PSSParameterSpec.class).getSaltLength());

        Signature verifier = Signature.getInstance("RSASSA-PSS");
        verifier.setParameter(spec);
        verifier.initVerify(rsa.getPublic());
        verifier.update(MSG);
        assertTrue(verifier.verify(sig));
        uninstall();
        assertTrue(jdkVerifies("RSASSA-PSS", spec, rsa, sig));
    }

    @ParameterizedTest
    @CsvSource({"SHA256withRSA, rsa", "SHA512withRSA, rsa", "SHA256withECDSA, ec", "SHA384withECDSA, ec",
        "RSASSA_PKCS1_V1_5_SHA_384, rsa", "ECDSA_SHA_256, ec"})
    void anEngineAskedForByNameSignsWithAnOrdinaryKey(String name, String which) throws Exception {
        KeyPair pair = which.equals("rsa") ? rsa : ec;
        Signature s = Signature.getInstance(name, provider);
        s.initSign(pair.getPrivate());
        s.update(MSG);
        byte[] sig = s.sign();
        String jdkName = provider.getService("Signature", name).getAlgorithm();
        assertTrue(jdkVerifies(jdkName, null, pair, sig), name);

        s.initVerify(pair.getPublic());
        s.update(MSG);
        assertTrue(s.verify(sig));
        s.update("another message".getBytes(StandardCharsets.UTF_8));
        assertFalse(s.verify(sig));
    }

    @Test
    void aFixedPssNameGivesTheJdkItsParameters() throws Exception {
        Signature s = Signature.getInstance("SHA384withRSA/PSS", provider);
        s.initSign(rsa.getPrivate());
        s.update(MSG);
        byte[] sig = s.sign();
        PSSParameterSpec expected = new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1);
        assertTrue(jdkVerifies("RSASSA-PSS", expected, rsa, sig));
    }

    @Test
    void aHandleStillMeetsTheParametersInfisicalCannotProduce() throws Exception {
        Signature s = Signature.getInstance("RSASSA-PSS", provider);
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1));
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> s.initSign(rsaHandle));
        assertTrue(e.getMessage().contains("salt 20") && e.getMessage().contains(rsaHandle.keyId()), e.getMessage());

        // Parameters Infisical can produce, set again, make the handle usable.
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        s.initSign(rsaHandle);
        s.update(MSG);
        assertTrue(jdkVerifies("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1),
                new KeyPair(rsaHandle.publicKey().jdkPublicKey(), null), s.sign()));
    }

    @Test
    void anOrdinaryPublicKeyTakesParametersSetAfterInit() throws Exception {
        PSSParameterSpec odd = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA1, 20, 1);
        Signature jdk = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
        jdk.setParameter(odd);
        jdk.initSign(rsa.getPrivate());
        jdk.update(MSG);
        byte[] sig = jdk.sign();

        Signature v = Signature.getInstance("RSASSA-PSS", provider);
        v.initVerify(rsa.getPublic());
        v.setParameter(odd);
        v.update(MSG);
        assertTrue(v.verify(sig));
    }

    @Test
    void infisicalNamesStillRefuseAnOrdinaryPrivateKey() throws Exception {
        Signature s = Signature.getInstance("INFISICAL-RSA", provider);
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> s.initSign(rsa.getPrivate()));
        assertTrue(e.getMessage().contains("Infisical private-key handle"), e.getMessage());
    }

    @Test
    void theWrongKindOfOrdinaryKeyIsAClearError() throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA", provider);
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> s.initSign(ec.getPrivate()));
        assertTrue(e.getMessage().contains("SHA256withRSA") && e.getMessage().contains("EC"), e.getMessage());
        assertNotEquals(null, e.getCause());
    }

    /** A JDK engine, found with Infisical not installed, checks the signature. */
    private static boolean jdkVerifies(String name, PSSParameterSpec spec, KeyPair pair, byte[] sig) throws Exception {
        assertTrue(Security.getProvider(InfisicalProvider.NAME) == null);
        Signature v = Signature.getInstance(name);
        if (spec != null) {
            v.setParameter(spec);
        }
        v.initVerify(pair.getPublic());
        assertNotEquals(InfisicalProvider.NAME, v.getProvider().getName());
        v.update(MSG);
        return v.verify(sig);
    }
}
