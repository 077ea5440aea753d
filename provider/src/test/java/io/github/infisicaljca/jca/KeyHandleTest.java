package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalPublicKey;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.CreateKeyRequest;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsClient;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the key handles are, as keys: types, sizes, encodings, identity, and what they refuse to be. */
class KeyHandleTest {
    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static KeyStore ks;
    private static KeyPair p384Pair;
    private static InfisicalPrivateKey rsa;
    private static InfisicalPrivateKey ec;
    private static InfisicalPrivateKey p384;
    private static InfisicalSecretKey aes;
    private static InfisicalSecretKey hmac;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        p384Pair = EmulatorFixture.ecKeyPair("secp384r1");
        f.kms.importKey("p384", "ECC_NIST_P384", p384Pair);
        provider = f.provider();
        ks = f.keyStore(provider);
        rsa = EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY);
        ec = EmulatorFixture.privateKey(ks, KmsEmulator.EC_SIGNING_KEY);
        p384 = EmulatorFixture.privateKey(ks, "p384");
        aes = (InfisicalSecretKey) ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
        hmac = (InfisicalSecretKey) ks.getKey(KmsEmulator.HMAC_KEY, null);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void getParamsWorksOnEveryJdk() {
        // JDK 22+ adds AsymmetricKey.getParams() beside RSAKey.getParams(): jarsigner calls it.
        assertNull(((RSAKey) rsa).getParams());
        assertNull(((RSAKey) rsa.publicKey()).getParams());
        assertNotNull(((java.security.interfaces.ECKey) ec).getParams());
    }

    @Test
    void rsaHandlesExposeTheModulusButNoPrivateMaterial() throws Exception {
        assertInstanceOf(RSAKey.class, rsa);
        assertFalse(rsa instanceof RSAPrivateKey, "an RSAPrivateKey would promise a private exponent");
        assertEquals(4096, ((RSAKey) rsa).getModulus().bitLength());
        RSAPublicKey pub = assertInstanceOf(RSAPublicKey.class, rsa.publicKey());
        assertEquals(((RSAKey) rsa).getModulus(), pub.getModulus());
        assertEquals(((RSAPublicKey) rsa.publicKey().jdkPublicKey()).getPublicExponent(), pub.getPublicExponent());
        assertEquals("RSA", rsa.getAlgorithm());
        assertEquals("RSA", rsa.publicKey().getAlgorithm());
        assertEquals("RSA_4096", rsa.kmsAlgorithm());
        assertEquals(KeyUsage.SIGN_VERIFY, rsa.keyUsage());
        assertEquals(f.kms.signingKeyId(), rsa.keyId());
        assertEquals(KmsEmulator.SIGNING_KEY, rsa.keyName());
    }

    @Test
    void ecHandlesExposeTheirCurve() throws Exception {
        ECPublicKey imported = (ECPublicKey) p384Pair.getPublic();
        assertInstanceOf(ECKey.class, p384);
        assertEquals(imported.getParams().getCurve(), ((ECKey) p384).getParams().getCurve());
        assertEquals(imported.getParams().getOrder(), ((ECKey) p384).getParams().getOrder());
        assertEquals(384, ((ECKey) p384).getParams().getCurve().getField().getFieldSize());
        assertEquals(256, ((ECKey) ec).getParams().getCurve().getField().getFieldSize());
        ECPublicKey pub = assertInstanceOf(ECPublicKey.class, p384.publicKey());
        assertEquals(imported.getW(), pub.getW());
        for (InfisicalPrivateKey k : List.of(ec, p384)) {
            assertEquals("EC", k.getAlgorithm());
            assertEquals("EC", k.publicKey().getAlgorithm());
        }
        assertEquals("ECC_NIST_P384", p384.kmsAlgorithm());
    }

    @Test
    void privateAndSecretHandlesHaveNoEncodingPublicHandlesTheSubjectPublicKeyInfo() throws Exception {
        for (Key k : List.of(rsa, ec, p384, aes, hmac)) {
            assertNull(k.getEncoded(), k.toString());
            assertNull(k.getFormat(), k.toString());
        }
        for (InfisicalPrivateKey k : List.of(rsa, ec, p384)) {
            InfisicalPublicKey pub = k.publicKey();
            assertEquals("X.509", pub.getFormat());
            assertArrayEquals(pub.jdkPublicKey().getEncoded(), pub.getEncoded());
            PublicKey decoded = KeyFactory.getInstance(pub.getAlgorithm()).generatePublic(
                    new X509EncodedKeySpec(pub.getEncoded()));
            assertEquals(pub.jdkPublicKey(), decoded);
            assertNotSame(pub.getEncoded(), pub.getEncoded());
        }
        assertArrayEquals(p384Pair.getPublic().getEncoded(), p384.publicKey().getEncoded(),
                "the server's public key is the imported one");
        assertArrayEquals(ks.getCertificate(KmsEmulator.SIGNING_KEY).getPublicKey().getEncoded(),
                rsa.publicKey().getEncoded());
    }

    @Test
    void secretHandlesNameTheirAlgorithm() throws Exception {
        assertEquals("AES", aes.getAlgorithm());
        assertEquals("HmacSHA256", hmac.getAlgorithm());
        assertInstanceOf(SecretKey.class, aes);
        assertFalse(aes instanceof PrivateKey);
        assertEquals(KeyUsage.ENCRYPT_DECRYPT, aes.keyUsage());
        assertEquals(KeyUsage.GENERATE_VERIFY_MAC, hmac.keyUsage());
        try (KmsClient client = KmsClient.create(f.config().build())) {
            String id = client.createKey(CreateKeyRequest.builder(f.kms.projectId(), "hmac-384")
                    .keyUsage(KeyUsage.GENERATE_VERIFY_MAC).algorithm("HMAC_SHA_384").build()).id();
            String aes128 = client.createKey(CreateKeyRequest.builder(f.kms.projectId(), "aes-128")
                    .algorithm("aes-128-gcm").build()).id();
            assertEquals("HmacSHA384", ks.getKey(id, null).getAlgorithm());
            assertEquals("AES", ks.getKey(aes128, null).getAlgorithm());
        }
    }

    @Test
    void handlesCannotBeSerialised() throws Exception {
        for (Key k : List.of(rsa, ec, rsa.publicKey(), ec.publicKey(), aes, hmac)) {
            try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
                NotSerializableException e = assertThrows(NotSerializableException.class, () -> out.writeObject(k),
                        k.getClass().getName());
                assertTrue(e.getMessage().contains(k.getClass().getName()), e.getMessage());
            }
        }
    }

    @Test
    void toStringNamesTheKeyAndNeverASecret() throws Exception {
        String secret = f.kms.clientSecret();
        for (InfisicalKey k : List.of(rsa, ec, (InfisicalKey) rsa.publicKey(), aes, hmac)) {
            String s = k.toString();
            assertTrue(s.contains(k.keyId()), s);
            assertTrue(s.contains(k.keyName()), s);
            assertFalse(s.contains(secret), s);
        }
        String p = provider.toString();
        assertFalse(p.contains(secret), p);
        assertFalse(provider.config().toString().contains(secret));
    }

    @Test
    void handlesAreEqualByKeyId() throws Exception {
        InfisicalProvider other = f.provider();
        KeyStore otherKs = f.keyStore(other);
        InfisicalPrivateKey rsaAgain = EmulatorFixture.privateKey(otherKs, KmsEmulator.SIGNING_KEY);
        InfisicalPrivateKey byId = EmulatorFixture.privateKey(otherKs, rsa.keyId().toUpperCase(java.util.Locale.ROOT));
        assertNotSame(rsa, rsaAgain);
        for (InfisicalPrivateKey same : List.of(rsaAgain, byId)) {
            assertEquals(rsa, same);
            assertEquals(rsa.hashCode(), same.hashCode());
            assertEquals(rsa.publicKey(), same.publicKey());
            assertEquals(rsa.publicKey().hashCode(), same.publicKey().hashCode());
        }
        assertNotEquals(rsa, ec);
        assertNotEquals(rsa.publicKey(), ec.publicKey());
        assertNotEquals(rsa, rsa.publicKey(), "a private handle is not its public half");
        assertNotEquals(aes, hmac);
        assertEquals(aes, otherKs.getKey(KmsEmulator.ENCRYPTION_KEY, null));
        assertNotEquals(rsa, null);
        assertNotEquals(rsa.publicKey(), rsa.publicKey().jdkPublicKey());
    }
}
