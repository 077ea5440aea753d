package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.der.Der;
import io.github.infisicaljca.jca.SelfSignedCertificate.ContentSigner;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Certificates signed through the callback, checked by three independent readers: the JDK,
 * BouncyCastle (signature, extensions, and a byte-for-byte TBSCertificate built by its own
 * certificate builder) and keytool in a child process.
 */
class SelfSignedCertificateTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();
    private static final Instant NOT_BEFORE = Instant.parse("2025-03-01T10:15:30Z");
    private static final Instant NOT_AFTER = Instant.parse("2035-03-01T10:15:30Z");

    /** Key generation is the slow part (RSA 4096 especially), so each key is made once. */
    private static KeyPair key(String spec) {
        return KEYS.computeIfAbsent(spec, s -> {
            try {
                String[] parts = s.split(":");
                KeyPairGenerator generator = KeyPairGenerator.getInstance(parts[0]);
                // A third part only names a distinct key of the same kind.
                if (parts[0].equals("RSA")) {
                    generator.initialize(Integer.parseInt(parts[1]));
                } else {
                    generator.initialize(new ECGenParameterSpec(parts[1]));
                }
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ContentSigner jdkSigner(String algorithm, PrivateKey privateKey) {
        return tbs -> {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(privateKey);
            signature.update(tbs);
            return signature.sign();
        };
    }

    private static X509Certificate build(String keySpec, String algorithm, String cn, Instant from, Instant to,
            BigInteger serial) throws GeneralSecurityException {
        KeyPair pair = key(keySpec);
        return SelfSignedCertificate.build(pair.getPublic(), cn, from, to, serial, algorithm,
                jdkSigner(algorithm, pair.getPrivate()));
    }

    static Stream<Arguments> keysAndAlgorithms() {
        return Stream.of(
                Arguments.of("RSA:2048", "SHA256withRSA", "1.2.840.113549.1.1.11"),
                Arguments.of("RSA:2048", "SHA384withRSA", "1.2.840.113549.1.1.12"),
                Arguments.of("RSA:2048", "SHA512withRSA", "1.2.840.113549.1.1.13"),
                Arguments.of("RSA:4096", "SHA256withRSA", "1.2.840.113549.1.1.11"),
                Arguments.of("EC:secp256r1", "SHA256withECDSA", "1.2.840.10045.4.3.2"),
                Arguments.of("EC:secp256r1", "SHA384withECDSA", "1.2.840.10045.4.3.3"),
                Arguments.of("EC:secp384r1", "SHA384withECDSA", "1.2.840.10045.4.3.3"),
                Arguments.of("EC:secp384r1", "SHA256withECDSA", "1.2.840.10045.4.3.2"),
                Arguments.of("EC:secp521r1", "SHA512withECDSA", "1.2.840.10045.4.3.4"),
                Arguments.of("EC:secp521r1", "SHA384withECDSA", "1.2.840.10045.4.3.3"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("keysAndAlgorithms")
    void jdkAndBouncyCastleAcceptTheCertificate(String keySpec, String algorithm, String oid) throws Exception {
        KeyPair pair = key(keySpec);
        BigInteger serial = new BigInteger(159, new SecureRandom()).setBit(158);
        String cn = "infisical-jca " + keySpec + " " + algorithm;
        X509Certificate cert = build(keySpec, algorithm, cn, NOT_BEFORE, NOT_AFTER, serial);

        // The JDK's view.
        assertEquals(3, cert.getVersion());
        assertEquals("CN=" + cn, cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(serial, cert.getSerialNumber());
        assertEquals(Date.from(NOT_BEFORE), cert.getNotBefore());
        assertEquals(Date.from(NOT_AFTER), cert.getNotAfter());
        assertEquals(algorithm, cert.getSigAlgName());
        assertEquals(oid, cert.getSigAlgOID());
        assertEquals(-1, cert.getBasicConstraints());
        boolean[] usage = cert.getKeyUsage();
        assertTrue(usage[0], "digitalSignature");
        for (int i = 1; i < usage.length; i++) {
            assertFalse(usage[i], "key usage bit " + i);
        }
        assertEquals(Set.of("2.5.29.19", "2.5.29.15"), cert.getCriticalExtensionOIDs());
        assertEquals(Set.of("2.5.29.14"), cert.getNonCriticalExtensionOIDs());
        assertEquals(pair.getPublic(), cert.getPublicKey());
        cert.verify(pair.getPublic());

        // BouncyCastle's view.
        X509CertificateHolder holder = new JcaX509CertificateHolder(cert);
        assertTrue(holder.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(pair.getPublic())));
        assertEquals(3, holder.getVersionNumber());
        assertEquals(new X500Name("CN=" + cn), holder.getSubject());
        assertEquals(holder.getSubject(), holder.getIssuer());
        assertEquals(oid, holder.getSignatureAlgorithm().getAlgorithm().getId());
        if (algorithm.endsWith("RSA")) {
            assertEquals(DERNull.INSTANCE, holder.getSignatureAlgorithm().getParameters(), "RFC 4055: NULL");
        } else {
            assertNull(holder.getSignatureAlgorithm().getParameters(), "RFC 5758: parameters absent");
        }
        assertTrue(holder.getExtension(Extension.basicConstraints).isCritical());
        assertFalse(BasicConstraints.fromExtensions(holder.getExtensions()).isCA());
        assertTrue(holder.getExtension(Extension.keyUsage).isCritical());
        KeyUsage keyUsage = KeyUsage.fromExtensions(holder.getExtensions());
        assertTrue(keyUsage.hasUsages(KeyUsage.digitalSignature));
        assertEquals(new KeyUsage(KeyUsage.digitalSignature), keyUsage);
        assertFalse(holder.getExtension(Extension.subjectKeyIdentifier).isCritical());
        SubjectKeyIdentifier expectedSki = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic());
        assertArrayEquals(expectedSki.getKeyIdentifier(),
                SubjectKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifier());
        // Re-encoding in DER changes nothing, so what we wrote was DER, not merely BER.
        assertArrayEquals(cert.getEncoded(), holder.toASN1Structure().getEncoded(ASN1Encoding.DER));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("keysAndAlgorithms")
    void tbsCertificateIsByteForByteWhatBouncyCastlesBuilderMakes(String keySpec, String algorithm, String oid)
            throws Exception {
        KeyPair pair = key(keySpec);
        BigInteger serial = BigInteger.valueOf(0x1234_5678_9ABCL);
        String cn = "Zoë ключ 鍵";
        X509Certificate ours = build(keySpec, algorithm, cn, NOT_BEFORE, NOT_AFTER, serial);

        X500Name name = new X500Name("CN=" + cn);
        X509CertificateHolder theirs = new JcaX509v3CertificateBuilder(name, serial, Date.from(NOT_BEFORE),
                Date.from(NOT_AFTER), name, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()))
                .build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(pair.getPrivate()));
        assertArrayEquals(theirs.toASN1Structure().getTBSCertificate().getEncoded(ASN1Encoding.DER),
                ours.getTBSCertificate());
        if (algorithm.endsWith("RSA")) {
            // PKCS#1 v1.5 is deterministic: the whole certificates are identical.
            assertArrayEquals(theirs.getEncoded(), ours.getEncoded());
        }
    }

    @Test
    void fractionsOfASecondAreDroppedFromTheValidity() throws Exception {
        X509Certificate cert = build("EC:secp256r1", "SHA256withECDSA", "fractions",
                NOT_BEFORE.plusMillis(999), NOT_AFTER.plusNanos(1), BigInteger.ONE);
        assertEquals(Date.from(NOT_BEFORE), cert.getNotBefore());
        assertEquals(Date.from(NOT_AFTER), cert.getNotAfter());
    }

    @ParameterizedTest(name = "{0} {2}, {1} {3}")
    @CsvSource({
        "2049-12-31T23:59:58Z, 2049-12-31T23:59:59Z, UTCTime, UTCTime",
        "2049-12-31T23:59:59Z, 2050-01-01T00:00:00Z, UTCTime, GeneralizedTime",
        "2050-01-01T00:00:00Z, 2050-01-01T00:00:01Z, GeneralizedTime, GeneralizedTime",
        "1949-12-31T23:59:58Z, 1949-12-31T23:59:59Z, GeneralizedTime, GeneralizedTime",
        "1949-12-31T23:59:59Z, 1950-01-01T00:00:00Z, GeneralizedTime, UTCTime",
        "1950-01-01T00:00:00Z, 1950-01-01T00:00:01Z, UTCTime, UTCTime",
        "9999-12-31T23:59:58Z, 9999-12-31T23:59:59Z, GeneralizedTime, GeneralizedTime"})
    void validityUsesUtcTimeFor1950To2049AndGeneralizedTimeOtherwise(String from, String to, String fromType,
            String toType) throws Exception {
        X509Certificate cert = build("RSA:2048", "SHA256withRSA", "validity", Instant.parse(from), Instant.parse(to),
                BigInteger.TEN);
        assertEquals(Date.from(Instant.parse(from)), cert.getNotBefore());
        assertEquals(Date.from(Instant.parse(to)), cert.getNotAfter());
        var tbs = new JcaX509CertificateHolder(cert).toASN1Structure().getTBSCertificate();
        assertEquals(fromType, timeType(tbs.getStartDate()));
        assertEquals(toType, timeType(tbs.getEndDate()));
    }

    private static String timeType(org.bouncycastle.asn1.x509.Time time) {
        ASN1Primitive primitive = time.toASN1Primitive();
        return primitive instanceof ASN1UTCTime ? "UTCTime"
                : primitive instanceof ASN1GeneralizedTime ? "GeneralizedTime" : primitive.getClass().getName();
    }

    @Test
    void aSignerReturningGarbageIsASignatureException() {
        for (String[] row : new String[][] {{"RSA:2048", "SHA256withRSA"}, {"EC:secp384r1", "SHA384withECDSA"}}) {
            KeyPair pair = key(row[0]);
            byte[] garbage = new byte[row[0].startsWith("RSA") ? 256 : 104];
            new SecureRandom().nextBytes(garbage);
            SignatureException e = assertThrows(SignatureException.class, () -> SelfSignedCertificate.build(
                    pair.getPublic(), "garbage", NOT_BEFORE, NOT_AFTER, BigInteger.ONE, row[1], tbs -> garbage));
            assertTrue(e.getMessage().contains(row[1]) && e.getMessage().contains("does not verify"), e.getMessage());
        }
    }

    @Test
    void aValidSignatureByAnotherKeyIsASignatureException() {
        KeyPair pair = key("EC:secp256r1");
        KeyPair other = key("EC:secp256r1:another key");
        assertThrows(SignatureException.class, () -> SelfSignedCertificate.build(pair.getPublic(), "stranger",
                NOT_BEFORE, NOT_AFTER, BigInteger.ONE, "SHA256withECDSA", jdkSigner("SHA256withECDSA", other.getPrivate())));
        // Right key, wrong hash: the signature does not match the algorithm the certificate names.
        assertThrows(SignatureException.class, () -> SelfSignedCertificate.build(pair.getPublic(), "hash",
                NOT_BEFORE, NOT_AFTER, BigInteger.ONE, "SHA256withECDSA", jdkSigner("SHA384withECDSA", pair.getPrivate())));
    }

    @Test
    void aSignerReturningNothingOrFailingSurfaces() {
        KeyPair pair = key("RSA:2048");
        assertThrows(SignatureException.class, () -> SelfSignedCertificate.build(pair.getPublic(), "null",
                NOT_BEFORE, NOT_AFTER, BigInteger.ONE, "SHA256withRSA", tbs -> null));
        assertThrows(SignatureException.class, () -> SelfSignedCertificate.build(pair.getPublic(), "empty",
                NOT_BEFORE, NOT_AFTER, BigInteger.ONE, "SHA256withRSA", tbs -> new byte[0]));
        GeneralSecurityException kmsDown = new GeneralSecurityException("KMS unavailable");
        assertSame(kmsDown, assertThrows(GeneralSecurityException.class, () -> SelfSignedCertificate.build(
                pair.getPublic(), "down", NOT_BEFORE, NOT_AFTER, BigInteger.ONE, "SHA256withRSA", tbs -> {
                    throw kmsDown;
                })));
    }

    @Test
    void aKeyThatDoesNotFitTheAlgorithmIsAnInvalidKeyException() {
        AtomicBoolean called = new AtomicBoolean();
        ContentSigner spy = tbs -> {
            called.set(true);
            return new byte[1];
        };
        assertThrows(InvalidKeyException.class, () -> SelfSignedCertificate.build(key("RSA:2048").getPublic(), "x",
                NOT_BEFORE, NOT_AFTER, BigInteger.ONE, "SHA256withECDSA", spy));
        assertThrows(InvalidKeyException.class, () -> SelfSignedCertificate.build(key("EC:secp256r1").getPublic(),
                "x", NOT_BEFORE, NOT_AFTER, BigInteger.ONE, "SHA512withRSA", spy));
        assertFalse(called.get(), "the signer must not be asked");
    }

    /** A public key of a class no JDK provider knows, as a KMS-backed key store might hand out. */
    private static PublicKey foreignKey(String algorithm, String format, byte[] encoded) {
        return new PublicKey() {
            @Override
            public String getAlgorithm() {
                return algorithm;
            }

            @Override
            public String getFormat() {
                return format;
            }

            @Override
            public byte[] getEncoded() {
                return encoded == null ? null : encoded.clone();
            }
        };
    }

    @Test
    void aPublicKeyOfAnyClassWorksThroughItsEncoding() throws Exception {
        KeyPair pair = key("EC:secp384r1");
        PublicKey foreign = foreignKey("EC", "X.509", pair.getPublic().getEncoded());
        X509Certificate cert = SelfSignedCertificate.build(foreign, "foreign", NOT_BEFORE, NOT_AFTER, BigInteger.ONE,
                "SHA384withECDSA", jdkSigner("SHA384withECDSA", pair.getPrivate()));
        assertEquals(pair.getPublic(), cert.getPublicKey());
    }

    @Test
    void aKeyWithoutAUsableEncodingIsAnInvalidKeyException() {
        byte[] spki = key("RSA:2048").getPublic().getEncoded();
        byte[] truncated = Arrays.copyOf(spki, spki.length - 1);
        byte[] notSpki = Der.sequence(Der.sequence(Der.oid("1.2.840.113549.1.1.1"), Der.nul()), Der.octetString(new byte[8]));
        for (PublicKey bad : List.of(foreignKey("RSA", "RAW", spki), foreignKey("RSA", "X.509", null),
                foreignKey("RSA", "X.509", truncated), foreignKey("RSA", "X.509", notSpki))) {
            assertThrows(InvalidKeyException.class, () -> SelfSignedCertificate.build(bad, "x", NOT_BEFORE, NOT_AFTER,
                    BigInteger.ONE, "SHA256withRSA", tbs -> new byte[1]), bad.getFormat());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA1withRSA", "MD5withRSA", "SHA256withRSA/PSS", "RSASSA-PSS", "Ed25519",
        "sha256withrsa", "SHA256withECDSAinP1363Format", "NONEwithECDSA", ""})
    void anUnknownAlgorithmIsANoSuchAlgorithmExceptionNamingIt(String algorithm) {
        NoSuchAlgorithmException e = assertThrows(NoSuchAlgorithmException.class, () -> SelfSignedCertificate.build(
                key("RSA:2048").getPublic(), "x", NOT_BEFORE, NOT_AFTER, BigInteger.ONE, algorithm,
                tbs -> new byte[1]));
        assertTrue(e.getMessage().contains("'" + algorithm + "'"), e.getMessage());
    }

    @Test
    void commonNamesMustBeOneTo64CharactersAndNotBlank() throws Exception {
        for (String bad : List.of("", " ", "\t\n", "x".repeat(65), "é".repeat(65), "lone \uD800")) {
            assertThrows(IllegalArgumentException.class,
                    () -> build("EC:secp256r1", "SHA256withECDSA", bad, NOT_BEFORE, NOT_AFTER, BigInteger.ONE), bad);
        }
        for (String good : List.of("x", "x".repeat(64), "\uD83D\uDD11".repeat(64), "a, b + c = \"d\"")) {
            X509Certificate cert = build("EC:secp256r1", "SHA256withECDSA", good, NOT_BEFORE, NOT_AFTER, BigInteger.ONE);
            X500Name expected = new X500NameBuilder().addRDN(BCStyle.CN, good).build();
            assertEquals(expected, new JcaX509CertificateHolder(cert).getSubject());
            var value = new JcaX509CertificateHolder(cert).getSubject().getRDNs()[0].getFirst().getValue();
            assertEquals(good, assertInstanceOf(DERUTF8String.class, value).getString());
        }
    }

    @Test
    void serialNumbersMustBePositiveAndAtMost20Octets() throws Exception {
        BigInteger largest = BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE); // 20 octets with the sign bit clear
        assertEquals(largest, build("EC:secp256r1", "SHA256withECDSA", "s", NOT_BEFORE, NOT_AFTER, largest)
                .getSerialNumber());
        for (BigInteger bad : List.of(BigInteger.ZERO, BigInteger.ONE.negate(), BigInteger.ONE.shiftLeft(159))) {
            assertThrows(IllegalArgumentException.class,
                    () -> build("EC:secp256r1", "SHA256withECDSA", "s", NOT_BEFORE, NOT_AFTER, bad), bad.toString());
        }
    }

    @Test
    void notAfterMustBeAfterNotBefore() {
        for (Instant end : List.of(NOT_BEFORE, NOT_BEFORE.minusSeconds(1), NOT_BEFORE.plusMillis(500))) {
            assertThrows(IllegalArgumentException.class,
                    () -> build("EC:secp256r1", "SHA256withECDSA", "v", NOT_BEFORE, end, BigInteger.ONE), end.toString());
        }
    }

    @Test
    void keytoolReadsTheCertificate(@TempDir Path dir) throws Exception {
        String cn = "keytool check " + Long.toHexString(new SecureRandom().nextLong());
        X509Certificate cert = build("EC:secp384r1", "SHA384withECDSA", cn, NOT_BEFORE, NOT_AFTER, BigInteger.valueOf(77));
        Path pem = dir.resolve("cert.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        // The PEM also round-trips through the JDK's own PEM reader.
        assertEquals(cert, CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem))));

        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-J-Duser.language=en", "-printcert", "-file",
                pem.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("CN=" + cn), output);
        assertTrue(output.contains("SHA384withECDSA"), output);
    }
}
