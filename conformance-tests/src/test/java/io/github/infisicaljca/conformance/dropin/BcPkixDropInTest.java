package io.github.infisicaljca.conformance.dropin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.conformance.dropin.DropInKeys.Kind;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BouncyCastle's PKIX and CMS builders signing with KMS handles through
 * {@code JcaContentSignerBuilder(<BC name>).setProvider("Infisical")}: a PKCS#10 request, a CA
 * certificate and a certificate it issues for an ordinary key, a CRL, and CMS SignedData
 * attached and detached. Every result is checked by BouncyCastle's own provider or the JDK's,
 * with the KMS key's plain public key.
 */
class BcPkixDropInTest {
    private static final DropInTally TALLY = new DropInTally("bcpkix");
    /** A BC instance for verification only: not registered, so other tests in this JVM are unaffected. */
    private static final Provider BC = new BouncyCastleProvider();
    private static final byte[] CONTENT = "drop-in: content signed in Infisical KMS".getBytes(StandardCharsets.UTF_8);

    private static DropInKeys keys;
    /** The key the KMS-held CA certifies. */
    private static KeyPair ordinary;
    private static final Map<Kind, KeyPair> others = new EnumMap<>(Kind.class);

    @BeforeAll
    static void start() throws Exception {
        keys = DropInKeys.get();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        ordinary = g.generateKeyPair();
        others.put(Kind.EC_P256, g.generateKeyPair());
        g.initialize(new ECGenParameterSpec("secp384r1"));
        others.put(Kind.EC_P384, g.generateKeyPair());
        g.initialize(new ECGenParameterSpec("secp521r1"));
        others.put(Kind.EC_P521, g.generateKeyPair());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        others.put(Kind.RSA, rsa.generateKeyPair());
    }

    @AfterAll
    static void summary() {
        TALLY.printAndAssert();
    }

    /** BC's names for the schemes Infisical signs, each with a key of the right kind (curve = hash size). */
    static Stream<Object[]> schemes() {
        return Stream.of(new Object[] {"SHA256WITHRSA", Kind.RSA}, new Object[] {"SHA384WITHRSA", Kind.RSA},
                new Object[] {"SHA512WITHRSA", Kind.RSA}, new Object[] {"SHA256WITHRSAANDMGF1", Kind.RSA},
                new Object[] {"SHA384WITHRSAANDMGF1", Kind.RSA}, new Object[] {"SHA512WITHRSAANDMGF1", Kind.RSA},
                new Object[] {"SHA256WITHECDSA", Kind.EC_P256}, new Object[] {"SHA384WITHECDSA", Kind.EC_P384},
                new Object[] {"SHA512WITHECDSA", Kind.EC_P521});
    }

    /**
     * PKCS#1 and ECDSA: {@code setProvider(provider)}, as with any HSM provider. PSS cannot go
     * that way: to check the PSS parameters BC 1.82 asks the provider it was given for a
     * {@code MessageDigest}, which Infisical does not register. So for PSS the provider is
     * registered in {@link Security} and BC is not told which to use: the name
     * {@code SHA256WITHRSAANDMGF1} only Infisical knows (BC itself is not registered here), the
     * digest and the {@code PSS} AlgorithmParameters come from the JDK. The ContentSigner is
     * initialised in {@code build}, so the registration is needed for that call only.
     */
    private static ContentSigner signer(String bcName, DropInKeys.Key key) throws Exception {
        if (!bcName.endsWith("ANDMGF1")) {
            return new JcaContentSignerBuilder(bcName).setProvider(keys.provider()).build(key.handle());
        }
        boolean added = Security.addProvider(keys.provider()) > 0;
        try {
            return new JcaContentSignerBuilder(bcName).build(key.handle());
        } finally {
            if (added) {
                Security.removeProvider(keys.provider().getName());
            }
        }
    }

    private static X509Certificate jdkCertificate(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void pkcs10RequestVerifiesWithBouncyCastle(String bcName, Kind kind) throws Exception {
        DropInKeys.Key key = keys.key(kind);
        JcaPKCS10CertificationRequest csr = TALLY.value(bcName + " sign PKCS#10", () -> new JcaPKCS10CertificationRequest(
                new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=drop-in " + bcName), key.publicKey())
                        .build(signer(bcName, key)).getEncoded()).setProvider(BC));
        TALLY.check(bcName + " PKCS#10 verifies", () -> {
            assertEquals(key.publicKey(), csr.getPublicKey());
            assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC)
                    .build(key.publicKey())), "BC verifies the request");
        });
        // The same request under another key must not verify: the check above is not vacuous.
        TALLY.check(bcName + " PKCS#10 other key", () -> assertFalse(csr.isSignatureValid(
                new JcaContentVerifierProviderBuilder().setProvider(BC).build(otherKey(kind)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void caCertificatesAndCrlVerifyWithTheJdk(String bcName, Kind kind) throws Exception {
        DropInKeys.Key key = keys.key(kind);
        X500Principal caName = new X500Principal("CN=drop-in CA " + bcName);
        long now = System.currentTimeMillis();
        Date from = new Date(now - 60_000);
        Date to = new Date(now + 86_400_000L);
        X509Certificate ca = TALLY.value(bcName + " sign CA certificate", () -> jdkCertificate(
                new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName, key.publicKey())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                        .build(signer(bcName, key)).getEncoded()));
        X509Certificate leaf = TALLY.value(bcName + " sign certificate", () -> issue(ca, key, bcName, 2, from, to));
        X509Certificate revoked = TALLY.value(bcName + " sign certificate 2", () -> issue(ca, key, bcName, 3, from, to));
        X509CRL crl = TALLY.value(bcName + " sign CRL", () -> {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(caName.getEncoded()), from);
            b.setNextUpdate(to);
            b.addCRLEntry(revoked.getSerialNumber(), from, CRLReason.keyCompromise);
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
                    new ByteArrayInputStream(b.build(signer(bcName, key)).getEncoded()));
        });

        TALLY.check(bcName + " CA certificate verifies", () -> {
            assertEquals(key.publicKey(), ca.getPublicKey());
            ca.verify(key.publicKey());
        });
        TALLY.check(bcName + " issued certificate verifies", () -> {
            assertEquals(ordinary.getPublic(), leaf.getPublicKey());
            leaf.verify(key.publicKey());
        });
        TALLY.check(bcName + " issued certificate, other CA key", () -> assertThrows(
                java.security.SignatureException.class, () -> leaf.verify(otherKey(kind))));
        TALLY.check(bcName + " CRL verifies", () -> {
            crl.verify(key.publicKey());
            assertTrue(crl.isRevoked(revoked) && !crl.isRevoked(leaf));
        });
        // The JDK's PKIX validator, trusting the KMS key's certificate and reading the KMS-signed CRL.
        TALLY.check(bcName + " PKIX path valid", () -> CertPathValidator.getInstance("PKIX").validate(path(leaf),
                pkix(ca, crl)));
        TALLY.check(bcName + " PKIX path revoked", () -> {
            CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                    () -> CertPathValidator.getInstance("PKIX").validate(path(revoked), pkix(ca, crl)));
            assertEquals(CertPathValidatorException.BasicReason.REVOKED, e.getReason(), e.toString());
        });
    }

    private static X509Certificate issue(X509Certificate ca, DropInKeys.Key key, String bcName, long serial, Date from,
            Date to) throws Exception {
        return jdkCertificate(new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(serial), from, to,
                new X500Principal("CN=drop-in leaf " + serial), ordinary.getPublic())
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .build(signer(bcName, key)).getEncoded());
    }

    private static CertPath path(X509Certificate leaf) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
    }

    private static PKIXParameters pkix(X509Certificate ca, X509CRL crl) throws Exception {
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        p.setRevocationEnabled(true);
        p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void cmsSignedDataVerifiesWithBouncyCastle(String bcName, Kind kind) throws Exception {
        DropInKeys.Key key = keys.key(kind);
        // The INFISICAL KeyStore's certificate for the key, as a user would attach it; parsed by the JDK.
        X509Certificate cert = jdkCertificate(key.certificate().getEncoded());
        TALLY.check(bcName + " KeyStore certificate verifies", () -> cert.verify(key.publicKey()));
        for (boolean attached : new boolean[] {true, false}) {
            String label = bcName + " CMS " + (attached ? "attached" : "detached");
            byte[] encoded = TALLY.value(label + " sign", () -> {
                CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
                gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                        .setProvider(BC).build()).build(signer(bcName, key), cert));
                gen.addCertificate(new JcaX509CertificateHolder(cert));
                return gen.generate(new CMSProcessableByteArray(CONTENT), attached).getEncoded();
            });
            TALLY.check(label + " verifies", () -> {
                CMSSignedData parsed = attached ? new CMSSignedData(encoded)
                        : new CMSSignedData(new CMSProcessableByteArray(CONTENT), encoded);
                if (attached) {
                    assertArrayEquals(CONTENT, (byte[]) parsed.getSignedContent().getContent());
                }
                assertEquals(key.publicKey(), cert.getPublicKey());
                assertTrue(verifies(parsed, cert), "BC verifies the signer");
            });
            TALLY.check(label + ", other content", () -> assertFalse(verifiesQuietly(new CMSSignedData(
                    new CMSProcessableByteArray("other".getBytes(StandardCharsets.UTF_8)), encoded), cert)));
        }
    }

    private static boolean verifies(CMSSignedData data, X509Certificate cert) throws Exception {
        List<SignerInformation> signers = List.copyOf(data.getSignerInfos().getSigners());
        assertEquals(1, signers.size());
        return signers.get(0).verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(cert));
    }

    /** A message-digest mismatch is an exception in BC, a bad signature is false: both mean "does not verify". */
    private static boolean verifiesQuietly(CMSSignedData data, X509Certificate cert) {
        try {
            return verifies(data, cert);
        } catch (Exception e) {
            return false;
        }
    }

    /** An ordinary key of the same kind and curve, which must not verify what the KMS key signed. */
    private static PublicKey otherKey(Kind kind) {
        return others.get(kind).getPublic();
    }
}
