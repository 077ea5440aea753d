package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code infisical.certificateChain.<alias>}: a chain a CA issued for a KMS key, returned by the
 * KeyStore in place of the self-signed certificate once it is checked against the KMS key. The
 * CA here is a local one (BouncyCastle's builder, JDK keys), so nothing in the chain comes from
 * the code under test.
 */
class CertificateChainTest {
    private static EmulatorFixture f;
    private static KeyPair root;
    private static X509Certificate rootCert;
    private static KeyPair intermediate;
    private static X509Certificate intermediateCert;
    private static PublicKey rsaKey;
    private static PublicKey ecKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture();
        KeyStore ks = f.keyStore(f.provider());
        rsaKey = EmulatorFixture.privateKey(ks, KmsEmulator.SIGNING_KEY).publicKey().jdkPublicKey();
        ecKey = EmulatorFixture.privateKey(ks, KmsEmulator.EC_SIGNING_KEY).publicKey().jdkPublicKey();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        root = g.generateKeyPair();
        intermediate = g.generateKeyPair();
        rootCert = issue("CN=Test Root CA", root.getPublic(), "CN=Test Root CA", root.getPrivate(), true);
        intermediateCert = issue("CN=Test Issuing CA", intermediate.getPublic(), "CN=Test Root CA", root.getPrivate(), true);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY})
    void theKeyStoreReturnsTheIssuedChainAndTheKeySignsForIt(String alias) throws Exception {
        PublicKey kmsKey = alias.equals(KmsEmulator.SIGNING_KEY) ? rsaKey : ecKey;
        X509Certificate leaf = issue("CN=" + alias + ", O=Example", kmsKey, "CN=Test Issuing CA",
                intermediate.getPrivate(), false);
        KeyStore ks = load(f.config().certificateChain(alias, pem("chain.pem", leaf, intermediateCert, rootCert)));

        assertArrayEquals(new Certificate[] {leaf, intermediateCert, rootCert}, ks.getCertificateChain(alias));
        assertEquals(leaf, ks.getCertificate(alias));
        assertEquals(alias, ks.getCertificateAlias(leaf));
        KeyStore.PrivateKeyEntry entry = (KeyStore.PrivateKeyEntry) ks.getEntry(alias, null);
        assertEquals(leaf, entry.getCertificate());
        assertEquals(3, entry.getCertificateChain().length);

        // The handle signs; the leaf's key, read by the JDK from the CA's certificate, verifies.
        String jca = alias.equals(KmsEmulator.SIGNING_KEY) ? "SHA256withRSA" : "SHA256withECDSA";
        Signature signer = Signature.getInstance(jca, ks.getProvider());
        signer.initSign((PrivateKey) ks.getKey(alias, null));
        byte[] msg = "signed for the CA-issued certificate".getBytes(StandardCharsets.UTF_8);
        signer.update(msg);
        Signature verifier = Signature.getInstance(jca);
        verifier.initVerify(leaf);
        assertNotEquals(InfisicalProvider.NAME, verifier.getProvider().getName());
        verifier.update(msg);
        assertTrue(verifier.verify(signer.sign()));

        // Other keys keep their self-signed certificate.
        String other = alias.equals(KmsEmulator.SIGNING_KEY) ? KmsEmulator.EC_SIGNING_KEY : KmsEmulator.SIGNING_KEY;
        X509Certificate selfSigned = (X509Certificate) ks.getCertificate(other);
        assertEquals(selfSigned.getSubjectX500Principal(), selfSigned.getIssuerX500Principal());
        assertEquals(1, ks.getCertificateChain(other).length);
    }

    @Test
    void aChainConfiguredByKeyIdIsFoundByNameToo() throws Exception {
        String id = f.kms.signingKeyId();
        X509Certificate leaf = issue("CN=by id", rsaKey, "CN=Test Root CA", root.getPrivate(), false);
        KeyStore ks = load(f.config().certificateChain(id, pem("by-id.pem", leaf, rootCert)));
        assertEquals(leaf, ks.getCertificate(KmsEmulator.SIGNING_KEY));
        assertEquals(leaf, ks.getCertificate(id));
    }

    @Test
    void theExportedSelfSignedCertificateAsAChainPinsIt() throws Exception {
        X509Certificate once = (X509Certificate) f.keyStore(f.provider()).getCertificate(KmsEmulator.EC_SIGNING_KEY);
        Path file = pem("pinned.pem", once);
        for (int i = 0; i < 2; i++) {
            KeyStore ks = load(f.config().certificateChain(KmsEmulator.EC_SIGNING_KEY, file));
            assertEquals(once, ks.getCertificate(KmsEmulator.EC_SIGNING_KEY), "a new provider, the same certificate");
        }
    }

    @Test
    void aLeafForAnotherKeyFailsTheLoadNamingBothKeys() throws Exception {
        X509Certificate wrong = issue("CN=not the KMS key", intermediate.getPublic(), "CN=Test Root CA",
                root.getPrivate(), false);
        Path file = pem("wrong.pem", wrong, rootCert);
        IOException e = assertThrows(IOException.class,
                () -> load(f.config().certificateChain(KmsEmulator.SIGNING_KEY, file)));
        assertTrue(e.getMessage().contains("infisical.certificateChain." + KmsEmulator.SIGNING_KEY)
                && e.getMessage().contains("certifies another public key") && e.getMessage().contains(f.kms.signingKeyId())
                && e.getMessage().contains("./infisical-jca csr --key " + KmsEmulator.SIGNING_KEY), e.getMessage());
    }

    @Test
    void aBrokenSignatureInTheChainFailsTheLoad() throws Exception {
        // Names chain correctly, but the "intermediate" did not sign the leaf: another key did.
        KeyPair impostor = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        X509Certificate leaf = issue("CN=forged", rsaKey, "CN=Test Issuing CA", impostor.getPrivate(), false);
        Path file = pem("forged.pem", leaf, intermediateCert, rootCert);
        IOException e = assertThrows(IOException.class,
                () -> load(f.config().certificateChain(KmsEmulator.SIGNING_KEY, file)));
        assertTrue(e.getMessage().contains("certificate 1 (CN=forged) does not verify with the key of certificate 2"),
                e.getMessage());
    }

    @Test
    void badFilesAreConfigurationErrors() throws Exception {
        X509Certificate leaf = issue("CN=order", rsaKey, "CN=Test Issuing CA", intermediate.getPrivate(), false);
        Path reversed = pem("reversed.pem", rootCert, intermediateCert, leaf);
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        InfisicalConfigException e = assertThrows(InfisicalConfigException.class, () -> f.config()
                .certificateChain("a", reversed).certificateChain("b", dir.resolve("missing.pem"))
                .certificateChain("c", notPem).property("infisical.certificateChain.", "x").build());
        String m = e.getMessage();
        assertTrue(m.contains("infisical.certificateChain.a '" + reversed + "': certificate 2 (CN=Test Issuing CA) is "
                + "not the issuer of certificate 1"), m);
        assertTrue(m.contains("infisical.certificateChain.b '" + dir.resolve("missing.pem") + "' does not exist"), m);
        assertTrue(m.contains("infisical.certificateChain.c '" + notPem + "'"), m);
        assertTrue(m.contains("unknown configuration key 'infisical.certificateChain.'"), m);
    }

    @Test
    void anAliasThatNamesNoSigningKeyFailsTheLoad() throws Exception {
        Path file = pem("self.pem", rootCert);
        IOException none = assertThrows(IOException.class, () -> load(f.config().certificateChain("no-such-key", file)));
        assertTrue(none.getMessage().contains("infisical.certificateChain.no-such-key") && none.getMessage()
                .contains("names no key"), none.getMessage());
        IOException aes = assertThrows(IOException.class, () -> load(f.config().certificateChain("encryption-key", file)));
        assertTrue(aes.getMessage().contains("is not a signing key"), aes.getMessage());
    }

    @Test
    void theChainPathShowsInTheSanitizedConfiguration() throws Exception {
        Path file = pem("shown.pem", rootCert);
        InfisicalConfig config = f.config().certificateChain("signing-key", file)
                .property("infisical.certificateChain.ec-signing-key", file.toString()).build();
        assertEquals(file.toString(), config.sanitized().get("infisical.certificateChain.signing-key"));
        assertEquals(List.of("ec-signing-key", "signing-key"), List.copyOf(config.certificateChains().keySet()));
        assertTrue(config.toString().contains("infisical.certificateChain.ec-signing-key=" + file), config.toString());
    }

    /** What the README promises about the self-signed certificate, checked across two providers. */
    @Test
    void selfSignedCertificatesAreStableWhereTheReadmeSaysTheyAre() throws Exception {
        KeyStore one = f.keyStore(f.provider());
        KeyStore two = f.keyStore(f.provider());
        // RSA: PKCS#1 v1.5 is deterministic and every field derives from the key: byte for byte the same.
        assertEquals(one.getCertificate(KmsEmulator.SIGNING_KEY), two.getCertificate(KmsEmulator.SIGNING_KEY));
        // EC: the same body (the key, names, serial, validity), another ECDSA signature each time.
        X509Certificate a = (X509Certificate) one.getCertificate(KmsEmulator.EC_SIGNING_KEY);
        X509Certificate b = (X509Certificate) two.getCertificate(KmsEmulator.EC_SIGNING_KEY);
        assertArrayEquals(a.getTBSCertificate(), b.getTBSCertificate());
        assertFalse(java.util.Arrays.equals(a.getSignature(), b.getSignature()));
        assertEquals(a, one.getCertificate(KmsEmulator.EC_SIGNING_KEY), "one provider keeps its certificate");
    }

    private KeyStore load(InfisicalConfig.Builder config) throws Exception {
        KeyStore ks = KeyStore.getInstance("INFISICAL", new InfisicalProvider(config.build()));
        ks.load(null, null);
        return ks;
    }

    private Path pem(String name, X509Certificate... chain) throws Exception {
        StringBuilder text = new StringBuilder();
        for (X509Certificate c : chain) {
            text.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return Files.writeString(dir.resolve(name), text);
    }

    private static X509Certificate issue(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca)
            throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(subject.hashCode() & 0xffff)),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(30, ChronoUnit.DAYS)),
                new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }
}
