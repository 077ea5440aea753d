package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.SignatureTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.CreateKeyRequest;
import io.github.infisicaljca.kms.KeyUpdate;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsClient;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JCA state machine and the exceptions the Signature API declares, as the JDK documents them. */
class SignatureStateTest {
    private static final byte[] ONE = "first message".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TWO = "second message".getBytes(StandardCharsets.UTF_8);
    private static final PSSParameterSpec PSS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static KeyStore ks;
    private static InfisicalPrivateKey rsa;
    private static InfisicalPrivateKey ec;
    private static InfisicalPrivateKey p384;
    private static KeyPair plainEc;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        f.kms.importKey("p384", "ECC_NIST_P384", EmulatorFixture.ecKeyPair("secp384r1"));
        provider = f.provider();
        ks = f.keyStore(provider);
        rsa = EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY);
        ec = EmulatorFixture.privateKey(ks, KmsEmulator.EC_SIGNING_KEY);
        p384 = EmulatorFixture.privateKey(ks, "p384");
        plainEc = EmulatorFixture.ecKeyPair("secp256r1");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256withRSA", "INFISICAL-RSA", "SHA384withECDSA", "SHA512withRSA/PSS"})
    void beforeInitAndInTheWrongModeEveryCallIsASignatureException(String name) throws Exception {
        Signature s = Signature.getInstance(name, provider);
        assertThrows(SignatureException.class, () -> s.update(ONE));
        assertThrows(SignatureException.class, () -> s.update((byte) 1));
        assertThrows(SignatureException.class, s::sign);
        assertThrows(SignatureException.class, () -> s.verify(new byte[64]));
        InfisicalPrivateKey key = name.contains("ECDSA") ? ec : rsa;
        s.initVerify(key.publicKey());
        assertThrows(SignatureException.class, s::sign);
        s.initSign(key);
        assertThrows(SignatureException.class, () -> s.verify(new byte[64]));
    }

    /** The same rules hold in the engine itself, not only in the JDK's Signature wrapper. */
    @Test
    void theEngineKeepsItsOwnStateMachine() throws Exception {
        KmsSignatureSpi spi = new KmsSignatureSpi(SignatureScheme.SHA256_RSA);
        SignatureException e = assertThrows(SignatureException.class, () -> spi.engineUpdate(ONE, 0, ONE.length));
        assertMentions(e, "initSign");
        assertThrows(SignatureException.class, spi::engineSign);
        assertThrows(SignatureException.class, () -> spi.engineVerify(new byte[512]));
        spi.engineInitVerify(rsa.publicKey());
        assertMentions(assertThrows(SignatureException.class, spi::engineSign), "verification");
        spi.engineInitVerify(rsa.publicKey().jdkPublicKey());
        assertThrows(SignatureException.class, spi::engineSign);
        spi.engineInitSign(rsa);
        assertMentions(assertThrows(SignatureException.class, () -> spi.engineVerify(new byte[512])), "signing");
        spi.engineUpdate(ONE, 0, ONE.length);
        byte[] sig = spi.engineSign();
        assertTrue(verifies("SHA256withRSA", rsa.publicKey(), ONE, sig));
    }

    @Test
    void signResetsTheEngineToItsInitialisedState() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA", provider);
        s.initSign(ec);
        s.update(ONE);
        byte[] first = s.sign();
        s.update(TWO);
        byte[] second = s.sign();
        assertTrue(verifies("SHA256withECDSA", ec.publicKey(), ONE, first));
        assertTrue(verifies("SHA256withECDSA", ec.publicKey(), TWO, second));
        assertFalse(verifies("SHA256withECDSA", ec.publicKey(), TWO, first));
        byte[] empty = s.sign();
        assertTrue(verifies("SHA256withECDSA", ec.publicKey(), new byte[0], empty), "nothing fed: the empty message");
    }

    @Test
    void aMessageFedBeforeAFailedSignDoesNotLeakIntoTheNext() throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA", provider);
        s.initSign(rsa);
        s.update(ONE);
        f.kms.inject("POST", "/sign$", Fault.status(400), 1);
        assertThrows(SignatureException.class, s::sign);
        s.update(TWO);
        byte[] sig = s.sign();
        assertTrue(verifies("SHA256withRSA", rsa.publicKey(), TWO, sig));

        Signature pss = Signature.getInstance("SHA256withRSA/PSS", provider);
        pss.initSign(rsa);
        assertMentions(assertThrows(SignatureException.class, pss::sign), "empty");
        pss.update(new byte[3000]);
        assertThrows(SignatureException.class, () -> pss.update(new byte[2000]));
        // The refused message is gone: later bytes must not be signed as if they were the whole message.
        assertMentions(assertThrows(SignatureException.class, () -> pss.update(TWO)), "already refused");
        assertThrows(SignatureException.class, pss::sign, "sign() ends the refused message");
        pss.update(TWO);
        assertTrue(verifies("SHA256withRSA/PSS", rsa.publicKey(), TWO, pss.sign()));
    }

    @Test
    void reInitialisingDropsTheMessageAndTakesTheNewKey() throws Exception {
        Signature s = Signature.getInstance("SHA384withECDSA", provider);
        s.initSign(ec);
        s.update(ONE);
        s.initSign(p384);
        s.update(TWO);
        byte[] sig = s.sign();
        assertTrue(verifies("SHA384withECDSA", p384.publicKey(), TWO, sig));
        assertFalse(verifies("SHA384withECDSA", ec.publicKey(), TWO, sig));
        s.initSign(p384);
        s.update(ONE);
        s.initVerify(p384.publicKey());
        s.update(TWO);
        assertTrue(s.verify(sig));
        s.update(ONE);
        s.initVerify(p384.publicKey().jdkPublicKey());
        s.update(TWO);
        assertTrue(s.verify(sig));
    }

    @Test
    void theOtherFormsOfSignVerifyAndInitVerifyWork() throws Exception {
        Signature s = Signature.getInstance("SHA512withRSA", provider);
        s.initSign(rsa, new java.security.SecureRandom());
        s.update(ONE);
        byte[] out = new byte[520];
        assertEquals(512, s.sign(out, 4, 516));
        byte[] sig = java.util.Arrays.copyOfRange(out, 4, 516);
        assertTrue(verifies("SHA512withRSA", rsa.publicKey(), ONE, sig));
        s.update(ONE);
        assertThrows(SignatureException.class, () -> s.sign(new byte[100], 0, 100), "too small for the signature");
        s.initVerify(ks.getCertificate(KmsEmulator.SIGNING_KEY));
        s.update(ONE);
        assertTrue(s.verify(out, 4, 512));
        s.update(TWO);
        assertFalse(s.verify(out, 4, 512));
    }

    @Test
    void keysThatAreNotHandlesOrAreNullAreInvalidKeyExceptions() throws Exception {
        PrivateKey plain = plainEc.getPrivate();
        Signature infisicalName = Signature.getInstance("INFISICAL-ECDSA", provider);
        InvalidKeyException plainRefused = assertThrows(InvalidKeyException.class, () -> infisicalName.initSign(plain));
        assertMentions(plainRefused, plain.getClass().getName());
        for (String name : List.of("SHA256withECDSA", "INFISICAL-ECDSA", "ECDSA_SHA_384")) {
            Signature s = Signature.getInstance(name, provider);
            // Standard names hand an ordinary key to the JDK (see OrdinaryKeyDelegationTest).
            assertThrows(InvalidKeyException.class, () -> s.initSign(null));
            assertThrows(InvalidKeyException.class, () -> s.initVerify((PublicKey) null));
            assertThrows(InvalidKeyException.class, () -> s.initSign(rsa), name);
        }
        Signature v = Signature.getInstance("SHA256withECDSA", provider);
        assertDoesNotThrow(() -> v.initVerify(plainEc.getPublic()), "verify takes any standard public key");
    }

    @Test
    void rsassaPssNeedsItsParametersBeforeItWorks() throws Exception {
        Signature s = Signature.getInstance("RSASSA-PSS", provider);
        assertNull(s.getParameters());
        s.initSign(rsa);
        SignatureException e = assertThrows(SignatureException.class, () -> s.update(ONE));
        assertMentions(e, "PSSParameterSpec");
        assertThrows(SignatureException.class, s::sign);
        s.setParameter(PSS256);
        s.update(ONE);
        assertTrue(verifies("SHA256withRSA/PSS", rsa.publicKey(), ONE, s.sign()));
        s.initVerify(rsa.publicKey()); // parameters survive re-init
        s.update(TWO);
        assertFalse(s.verify(new byte[512]));
    }

    @Test
    void pssParametersInfisicalCannotProduceAreRefusedWithWhatItAccepts() throws Exception {
        List<PSSParameterSpec> wrong = List.of(
                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1),
                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA384, 32, 1),
                new PSSParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, 20, 1),
                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 2),
                PSSParameterSpec.DEFAULT);
        for (PSSParameterSpec spec : wrong) {
            Signature s = Signature.getInstance("RSASSA-PSS", provider);
            s.initSign(rsa);
            InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
                    () -> s.setParameter(spec));
            assertMentions(e, "MGF1", "salt", "SHA-256", "32");
        }
        Signature fixed = Signature.getInstance("SHA256withRSA/PSS", provider);
        InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
                () -> fixed.setParameter(new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1)));
        assertMentions(e, "RSASSA_PSS_SHA_256");
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> Signature.getInstance("RSASSA-PSS", provider).setParameter(new ECGenParameterSpec("secp256r1")));
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> Signature.getInstance("RSASSA-PSS", provider).setParameter(null));
        assertDoesNotThrow(() -> fixed.setParameter(PSS256), "its own parameters are fine");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256withRSA/PSS:32", "SHA384withRSA/PSS:48", "SHA512withRSA/PSS:64",
        "INFISICAL-RSA-PSS:32", "RSASSA_PSS_SHA_384:48", "RSASSA-PSS:64"})
    void pssNamesReportTheirParametersAndTheyRoundTrip(String nameAndSalt) throws Exception {
        String name = nameAndSalt.split(":")[0];
        int salt = Integer.parseInt(nameAndSalt.split(":")[1]);
        String hash = "SHA-" + (salt * 8);
        Signature s = Signature.getInstance(name, provider);
        if (name.equals("RSASSA-PSS")) {
            s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt, 1));
        }
        AlgorithmParameters ap = s.getParameters();
        assertEquals("RSASSA-PSS", ap.getAlgorithm());
        PSSParameterSpec spec = ap.getParameterSpec(PSSParameterSpec.class);
        assertEquals(hash, spec.getDigestAlgorithm());
        assertEquals("MGF1", spec.getMGFAlgorithm());
        assertEquals(hash, ((MGF1ParameterSpec) spec.getMGFParameters()).getDigestAlgorithm());
        assertEquals(salt, spec.getSaltLength());
        assertEquals(1, spec.getTrailerField());
        AlgorithmParameters decoded = AlgorithmParameters.getInstance("RSASSA-PSS");
        decoded.init(ap.getEncoded());
        Signature again = Signature.getInstance("RSASSA-PSS", provider);
        again.setParameter(decoded.getParameterSpec(PSSParameterSpec.class));
        again.initSign(rsa);
        again.update(ONE);
        byte[] sig = again.sign();
        Signature jdk = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
        jdk.initVerify(rsa.publicKey().jdkPublicKey());
        jdk.setParameter(spec);
        jdk.update(ONE);
        assertTrue(jdk.verify(sig));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256withRSA", "INFISICAL-RSA", "SHA512withECDSA", "INFISICAL-ECDSA", "ECDSA_SHA_256"})
    void otherNamesHaveNoParametersAndTakeNone(String name) throws Exception {
        Signature s = Signature.getInstance(name, provider);
        assertNull(s.getParameters());
        s.setParameter(null);
        assertThrows(InvalidAlgorithmParameterException.class, () -> s.setParameter(PSS256));
        assertThrows(InvalidAlgorithmParameterException.class, () -> s.setParameter(new ECGenParameterSpec("secp256r1")));
        assertNull(s.getParameters());
    }

    @Test
    @SuppressWarnings("deprecation")
    void stringNamedParametersAreInvalidParameterExceptions() throws Exception {
        for (String name : List.of("SHA256withRSA", "RSASSA-PSS", "INFISICAL-ECDSA")) {
            Signature s = Signature.getInstance(name, provider);
            assertThrows(InvalidParameterException.class, () -> s.setParameter("saltLength", 32));
            assertThrows(InvalidParameterException.class, () -> s.getParameter("saltLength"));
        }
    }

    @Test
    void signingWithADisabledKeyNamesTheKeyAndKeepsTheCause() throws Exception {
        String id;
        try (KmsClient client = KmsClient.create(f.config().build())) {
            id = client.createKey(CreateKeyRequest.builder(f.kms.projectId(), "soon-disabled")
                    .keyUsage(KeyUsage.SIGN_VERIFY).algorithm("ECC_NIST_P256").build()).id();
            InfisicalPrivateKey key = EmulatorFixture.privateKey(ks, id); // the handle, before the key is disabled
            client.updateKey(id, KeyUpdate.disable());
            Signature s = Signature.getInstance("SHA256withECDSA", provider);
            s.initSign(key);
            s.update(ONE);
            SignatureException e = assertThrows(SignatureException.class, s::sign);
            assertMentions(e, "Key is disabled", id, "400");
            assertFalse(e.getMessage().contains(f.kms.clientSecret()), e.getMessage());
            KmsApiException cause = assertInstanceOf(KmsApiException.class, e.getCause());
            assertEquals(400, cause.status());
            assertEquals(id, cause.keyId());
            assertMentions(e, cause.reqId().orElseThrow());
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(f.kms.clientSecret()));
                assertFalse(t.toString().contains(f.kms.clientSecret()));
            }
            s.initVerify(key.publicKey());
            s.update(ONE);
            assertFalse(s.verify(new byte[] {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01}),
                    "verifying stays local: a disabled key's cached public key still answers");
        }
    }

    private static boolean verifies(String name, PublicKey key, byte[] msg, byte[] sig) throws Exception {
        Signature v = Signature.getInstance(name, provider);
        v.initVerify(key);
        v.update(msg);
        return v.verify(sig);
    }
}
