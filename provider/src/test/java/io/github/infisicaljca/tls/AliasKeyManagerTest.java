package io.github.infisicaljca.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.jca.SelfSignedCertificate;
import io.github.infisicaljca.kms.CreateKeyRequest;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsClient;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Out of a KeyStore with several EC signing keys, the JDK's key manager (either kind) would
 * offer them all; the wrapped one offers the JDK's choice only when it is the named key. The
 * handshakes themselves: {@code TlsDropInTest} in conformance-tests.
 */
class AliasKeyManagerTest {
    /** Ends like the seeded key's name: a suffix match alone would confuse them. */
    private static final String SIMILAR = "other-ec-signing-key";

    private static KmsEmulator kms;
    private static KeyStore ks;

    @BeforeAll
    static void start() throws Exception {
        kms = KmsEmulator.builder().start();
        InfisicalConfig config = InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString())
                .clientId(kms.clientId()).clientSecret(kms.clientSecret()).projectId(kms.projectId()).build();
        try (KmsClient client = KmsClient.create(config)) {
            for (String name : new String[] {SIMILAR, "key"}) {
                client.createKey(CreateKeyRequest.builder(kms.projectId(), name).keyUsage(KeyUsage.SIGN_VERIFY)
                        .algorithm("ECC_NIST_P256").build());
            }
        }
        ks = KeyStore.getInstance("INFISICAL", new InfisicalProvider(config));
        ks.load(null, null);
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKIX", "SunX509"})
    void onlyTheNamedKeyIsChosen(String algorithm) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm);
        kmf.init(ks, null);
        for (String name : new String[] {SIMILAR, "key", KmsEmulator.EC_SIGNING_KEY}) {
            AliasKeyManager km = AliasKeyManager.of(kmf, name);
            assertTrue(km.getServerAliases("EC", null).length >= 3, "the JDK's manager offers every EC key");
            String server = km.chooseServerAlias("EC", null, null);
            String client = km.chooseClientAlias(new String[] {"RSA", "EC"}, null, null);
            InfisicalPrivateKey key = assertInstanceOf(InfisicalPrivateKey.class, km.getPrivateKey(server));
            assertEquals(name, key.keyName(), algorithm + " chose " + server);
            // "PKIX" numbers every alias it hands out, so compare the keys, not the aliases.
            assertEquals(name, ((InfisicalPrivateKey) km.getPrivateKey(client)).keyName(), algorithm + " chose " + client);
            assertArrayEquals(new Object[] {ks.getCertificate(name)}, Arrays.copyOf(km.getCertificateChain(server), 1));
            assertNull(km.chooseServerAlias("RSA", null, null), "the named key is EC: no RSA alias");
        }
    }

    /** Other KeyStores allow dots in aliases, which the "PKIX" manager's own aliases also use. */
    @ParameterizedTest
    @ValueSource(strings = {"PKIX", "SunX509"})
    void dottedAliasesOfAnotherKeyStore(String algorithm) throws Exception {
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        for (String alias : new String[] {"server.key", "key", "0.key"}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair pair = g.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate cert = SelfSignedCertificate.build(pair.getPublic(), alias, now, now.plusSeconds(3600),
                    BigInteger.valueOf(alias.length()), "SHA256withECDSA", tbs -> {
                        Signature s = Signature.getInstance("SHA256withECDSA");
                        s.initSign(pair.getPrivate());
                        s.update(tbs);
                        return s.sign();
                    });
            p12.setKeyEntry(alias, pair.getPrivate(), "pw".toCharArray(), new Certificate[] {cert});
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm);
        kmf.init(p12, "pw".toCharArray());
        for (String alias : new String[] {"server.key", "key", "0.key"}) {
            AliasKeyManager km = AliasKeyManager.of(kmf, alias);
            String chosen = km.chooseServerAlias("EC", null, null);
            assertEquals(p12.getCertificate(alias), km.getCertificateChain(chosen)[0], algorithm + " chose " + chosen);
        }
    }

    @Test
    void theKeyStoreFormValidatesTheAlias() throws Exception {
        AliasKeyManager km = AliasKeyManager.of(ks, KmsEmulator.SIGNING_KEY);
        assertEquals(KmsEmulator.SIGNING_KEY, km.alias());
        assertEquals(KmsEmulator.SIGNING_KEY, ((InfisicalPrivateKey) km.getPrivateKey(km.chooseServerAlias("RSA", null,
                null))).keyName());

        KeyStoreException unknown = assertThrows(KeyStoreException.class, () -> AliasKeyManager.of(ks, "no-such-key"));
        assertTrue(unknown.getMessage().contains("'no-such-key' is not an alias"), unknown.getMessage());
        KeyStoreException byId = assertThrows(KeyStoreException.class, () -> AliasKeyManager.of(ks, kms.signingKeyId()));
        assertTrue(byId.getMessage().contains("not a key id"), byId.getMessage());
        KeyStoreException aes = assertThrows(KeyStoreException.class,
                () -> AliasKeyManager.of(ks, KmsEmulator.ENCRYPTION_KEY));
        assertTrue(aes.getMessage().contains("TLS needs a signing key"), aes.getMessage());
    }
}
