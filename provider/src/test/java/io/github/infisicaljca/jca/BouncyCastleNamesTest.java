package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BouncyCastle's {@code JcaContentSignerBuilder} asks the provider for PSS by BC's own name
 * ({@code SHA256WITHRSAANDMGF1}); each is an alias of the fixed-hash PSS service, and a signature
 * made under it is plain RSASSA-PSS (MGF1, same hash, salt = digest length) that the JDK verifies.
 */
class BouncyCastleNamesTest {
    private static final byte[] MSG = "BouncyCastle names".getBytes(StandardCharsets.UTF_8);

    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static InfisicalPrivateKey rsa;
    private static KeyPair ordinary;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        provider = f.provider();
        rsa = EmulatorFixture.privateKey(f.keyStore(provider), KmsEmulator.SIGNING_KEY);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        ordinary = g.generateKeyPair();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @ParameterizedTest
    @CsvSource({"SHA256WITHRSAANDMGF1, SHA256withRSA/PSS, SHA-256", "sha384withRSAandMGF1, SHA384withRSA/PSS, SHA-384",
        "SHA512WithRSAAndMGF1, SHA512withRSA/PSS, SHA-512"})
    void bcPssNamesAreAliasesOfTheFixedHashPssServices(String bcName, String service, String hash) throws Exception {
        Provider.Service s = provider.getService("Signature", bcName);
        assertEquals(service, s.getAlgorithm());
        assertSame(provider.getService("Signature", service), s);
        assertTrue(s.supportsParameter(rsa), "takes a handle");

        Signature signer = Signature.getInstance(bcName, provider);
        signer.initSign(rsa);
        signer.update(MSG);
        byte[] sig = signer.sign();

        Signature jdk = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
        jdk.initVerify(rsa.publicKey().jdkPublicKey());
        jdk.setParameter(SignatureScheme.pssSpec(io.github.infisicaljca.kms.SigningAlgorithm.valueOf(
                "RSASSA_PSS_SHA_" + hash.substring(4))));
        jdk.update(MSG);
        assertTrue(jdk.verify(sig), bcName + " makes " + service + " signatures");

        // Like every name the provider registers, an ordinary key goes to the JDK's engine.
        Signature plain = Signature.getInstance(bcName, provider);
        plain.initSign(ordinary.getPrivate());
        plain.update(MSG);
        byte[] plainSig = plain.sign();
        jdk.initVerify(ordinary.getPublic());
        jdk.update(MSG);
        assertTrue(jdk.verify(plainSig), bcName + " with an ordinary key");
    }
}
