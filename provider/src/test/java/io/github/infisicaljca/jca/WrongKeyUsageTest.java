package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Security;
import java.security.Signature;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An Infisical handle of the wrong usage (a signing key to a Cipher, an encryption key to the
 * Mac, ...) reaches the Infisical engine however the engine was chosen (by provider, or by
 * the JCA's delayed selection with the provider first or last), and is refused with a message
 * that names the key, its usage and algorithm, and the usage the engine needs; never the
 * JDK's "No installed provider supports this key".
 */
class WrongKeyUsageTest {
    private static EmulatorFixture f;
    private static InfisicalProvider provider;
    private static InfisicalPrivateKey rsa;
    private static InfisicalPrivateKey ec;
    private static InfisicalKey aes;
    private static InfisicalKey hmac;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        provider = f.provider();
        KeyStore ks = f.keyStore(provider);
        rsa = EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY);
        ec = EmulatorFixture.privateKey(ks, KmsEmulator.EC_SIGNING_KEY);
        aes = (InfisicalKey) ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
        hmac = (InfisicalKey) ks.getKey(KmsEmulator.HMAC_KEY, null);
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

    /** "named": the provider passed to getInstance; "first", "last": installed there, none named. */
    private static void place(String where) {
        if (!where.equals("named")) {
            int at = where.equals("first") ? 1 : Security.getProviders().length + 1;
            assertEquals(at, Security.insertProviderAt(provider, at));
        }
    }

    private static Cipher cipher(String name, String where) throws Exception {
        return where.equals("named") ? Cipher.getInstance(name, provider) : Cipher.getInstance(name);
    }

    private static Mac mac(String where) throws Exception {
        return where.equals("named") ? Mac.getInstance("INFISICAL-HMAC", provider) : Mac.getInstance("INFISICAL-HMAC");
    }

    private static void assertNamesUsage(InvalidKeyException x, InfisicalKey key, String engine, String needed) {
        String m = x.getMessage();
        String expected = "key " + key.keyName() + " (" + key.keyId() + ") is " + article(key.keyUsage().wireName())
                + " key (" + key.kmsAlgorithm() + "); " + engine + " needs " + article(needed) + " key";
        assertEquals(expected, m);
    }

    private static String article(String usage) {
        return (usage.startsWith("e") ? "an " : "a ") + usage;
    }

    @ParameterizedTest
    @ValueSource(strings = {"named", "first", "last"})
    void aCipherRefusesAHandleOfAnotherUsageByName(String where) throws Exception {
        place(where);
        for (String name : List.of("INFISICAL-AES", "INFISICAL", "INFISICAL-ENVELOPE")) {
            String engine = name.equals("INFISICAL") ? "INFISICAL-AES" : name;
            for (Key wrong : List.of(rsa, rsa.publicKey(), ec, hmac)) {
                for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE, Cipher.WRAP_MODE}) {
                    if (mode == Cipher.WRAP_MODE && engine.equals("INFISICAL-ENVELOPE")) {
                        continue;
                    }
                    Cipher c = cipher(name, where);
                    InvalidKeyException x = assertThrows(InvalidKeyException.class, () -> c.init(mode, wrong),
                            name + " " + where + " " + wrong);
                    assertNamesUsage(x, (InfisicalKey) wrong, engine, "encrypt-decrypt");
                }
            }
            Cipher right = cipher(name, where);
            right.init(Cipher.ENCRYPT_MODE, aes);
            assertEquals(provider, right.getProvider());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"named", "first", "last"})
    void theMacRefusesAHandleOfAnotherUsageByName(String where) throws Exception {
        place(where);
        for (Key wrong : List.of(aes, rsa, rsa.publicKey())) {
            Mac m = mac(where);
            InvalidKeyException x = assertThrows(InvalidKeyException.class, () -> m.init(wrong), where + " " + wrong);
            assertNamesUsage(x, (InfisicalKey) wrong, "INFISICAL-HMAC", "generate-verify-mac");
        }
        Mac right = mac(where);
        right.init(hmac);
        assertEquals(provider, right.getProvider());
    }

    /**
     * A Signature takes only PrivateKey and PublicKey, which secret handles are not, so the
     * wrong handle there is one of the other family: refused by the Infisical engine, by name.
     */
    @ParameterizedTest
    @ValueSource(strings = {"named", "first", "last"})
    void aSignatureRefusesAHandleOfTheOtherFamilyByName(String where) throws Exception {
        place(where);
        for (String name : List.of("INFISICAL-RSA", "SHA256withRSA", "RSASSA-PSS")) {
            Signature s = where.equals("named") ? Signature.getInstance(name, provider) : Signature.getInstance(name);
            InvalidKeyException x = assertThrows(InvalidKeyException.class, () -> s.initSign(ec), name + " " + where);
            assertTrue(x.getMessage().contains(name + " needs an RSA key") && x.getMessage().contains(ec.keyId())
                    && x.getMessage().contains(KmsEmulator.EC_SIGNING_KEY), x.getMessage());
        }
        Signature s = where.equals("named") ? Signature.getInstance("INFISICAL-ECDSA", provider)
                : Signature.getInstance("SHA256withECDSA");
        InvalidKeyException x = assertThrows(InvalidKeyException.class, () -> s.initSign(rsa));
        assertTrue(x.getMessage().contains("needs an EC key") && x.getMessage().contains(rsa.keyId()), x.getMessage());
    }
}
