package io.github.infisicaljca.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalPublicKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.KmsKey;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests signed in the emulator's KMS, read and verified by BouncyCastle (its own provider,
 * so nothing of the JDK's or ours vouches for them); openssl and keytool read them in the CLI's tests.
 */
class CertificationRequestTest {
    private static final X500Principal SUBJECT = new X500Principal("CN=build.example.com, O=Example, C=DE");
    private static KmsEmulator kms;
    private static InfisicalPrivateKey rsa;
    private static InfisicalPrivateKey ec;

    @BeforeAll
    static void start() throws Exception {
        kms = KmsEmulator.builder().start();
        InfisicalProvider provider = new InfisicalProvider(InfisicalConfig.builder().withoutAmbientSources()
                .url(kms.url().toString()).clientId(kms.clientId()).clientSecret(kms.clientSecret())
                .projectId(kms.projectId()).build());
        KeyStore ks = KeyStore.getInstance("INFISICAL", provider);
        ks.load(null, null);
        rsa = (InfisicalPrivateKey) ks.getKey(KmsEmulator.SIGNING_KEY, null);
        ec = (InfisicalPrivateKey) ks.getKey(KmsEmulator.EC_SIGNING_KEY, null);
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private static CertificationRequest build(InfisicalPrivateKey key, SigningAlgorithm alg, SubjectAltName... sans)
            throws Exception {
        return CertificationRequest.builder().subject(SUBJECT).subjectAltNames(List.of(sans)).signatureAlgorithm(alg)
                .build(key);
    }

    /** BouncyCastle's reading, after it verified the signature with the public key inside the request. */
    private static PKCS10CertificationRequest verifiedByBouncyCastle(CertificationRequest csr) throws Exception {
        PKCS10CertificationRequest bc = new PKCS10CertificationRequest(csr.encoded());
        assertTrue(bc.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(new BouncyCastleProvider())
                .build(bc.getSubjectPublicKeyInfo())), "BouncyCastle: the signature does not verify");
        assertEquals(SUBJECT, new X500Principal(bc.getSubject().getEncoded()));
        return bc;
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = "RSASSA_PKCS1.*", mode = EnumSource.Mode.MATCH_ALL)
    void rsaPkcs1RequestsCarryTheKmsPublicKeyAndVerify(SigningAlgorithm alg) throws Exception {
        CertificationRequest csr = build(rsa, alg);
        PKCS10CertificationRequest bc = verifiedByBouncyCastle(csr);
        assertArrayEquals(rsa.publicKey().getEncoded(), bc.getSubjectPublicKeyInfo().getEncoded());
        AlgorithmIdentifier id = bc.getSignatureAlgorithm();
        assertEquals(switch (alg) {
            case RSASSA_PKCS1_V1_5_SHA_256 -> PKCSObjectIdentifiers.sha256WithRSAEncryption;
            case RSASSA_PKCS1_V1_5_SHA_384 -> PKCSObjectIdentifiers.sha384WithRSAEncryption;
            default -> PKCSObjectIdentifiers.sha512WithRSAEncryption;
        }, id.getAlgorithm());
        assertEquals(DERNull.INSTANCE, id.getParameters(), "RFC 4055: NULL parameters");
        assertEquals(0, bc.getAttributes().length, "no SANs, no attributes");
        assertEquals(alg, csr.signatureAlgorithm());
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = "RSASSA_PSS.*", mode = EnumSource.Mode.MATCH_ALL)
    void rsaPssRequestsCarryRfc4055Parameters(SigningAlgorithm alg) throws Exception {
        PKCS10CertificationRequest bc = verifiedByBouncyCastle(build(rsa, alg));
        AlgorithmIdentifier id = bc.getSignatureAlgorithm();
        assertEquals(PKCSObjectIdentifiers.id_RSASSA_PSS, id.getAlgorithm());
        RSASSAPSSparams p = RSASSAPSSparams.getInstance(id.getParameters());
        var hash = switch (alg) {
            case RSASSA_PSS_SHA_256 -> NISTObjectIdentifiers.id_sha256;
            case RSASSA_PSS_SHA_384 -> NISTObjectIdentifiers.id_sha384;
            default -> NISTObjectIdentifiers.id_sha512;
        };
        assertEquals(hash, p.getHashAlgorithm().getAlgorithm());
        assertEquals(PKCSObjectIdentifiers.id_mgf1, p.getMaskGenAlgorithm().getAlgorithm());
        assertEquals(hash, AlgorithmIdentifier.getInstance(p.getMaskGenAlgorithm().getParameters()).getAlgorithm());
        assertEquals(alg.digestLength(), p.getSaltLength().intValueExact());
        assertEquals(1, p.getTrailerField().intValueExact());
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class, names = "ECDSA.*", mode = EnumSource.Mode.MATCH_ALL)
    void ecdsaRequestsVerifyWithAbsentParameters(SigningAlgorithm alg) throws Exception {
        PKCS10CertificationRequest bc = verifiedByBouncyCastle(build(ec, alg));
        assertArrayEquals(ec.publicKey().getEncoded(), bc.getSubjectPublicKeyInfo().getEncoded());
        AlgorithmIdentifier id = bc.getSignatureAlgorithm();
        assertEquals(switch (alg) {
            case ECDSA_SHA_256 -> X9ObjectIdentifiers.ecdsa_with_SHA256;
            case ECDSA_SHA_384 -> X9ObjectIdentifiers.ecdsa_with_SHA384;
            default -> X9ObjectIdentifiers.ecdsa_with_SHA512;
        }, id.getAlgorithm());
        assertNull(id.getParameters(), "RFC 5758: no parameters");
    }

    @Test
    void subjectAltNamesGoIntoAnExtensionRequest() throws Exception {
        CertificationRequest csr = build(ec, SigningAlgorithm.ECDSA_SHA_256, SubjectAltName.dns("build.example.com"),
                SubjectAltName.ip("10.0.0.1"), SubjectAltName.ip("2001:db8::1"), SubjectAltName.email("a@b.example"),
                SubjectAltName.uri("https://x.example/"));
        PKCS10CertificationRequest bc = verifiedByBouncyCastle(csr);
        assertEquals(1, bc.getAttributes().length);
        assertEquals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, bc.getAttributes()[0].getAttrType());
        Extensions extensions = bc.getRequestedExtensions();
        assertEquals(1, extensions.getExtensionOIDs().length);
        Extension san = extensions.getExtension(Extension.subjectAlternativeName);
        assertFalse(san.isCritical(), "the subject is not empty: RFC 5280 wants it non-critical");
        assertEquals(new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "build.example.com"),
            new GeneralName(GeneralName.iPAddress, "10.0.0.1"),
            new GeneralName(GeneralName.iPAddress, "2001:db8::1"),
            new GeneralName(GeneralName.rfc822Name, "a@b.example"),
            new GeneralName(GeneralName.uniformResourceIdentifier, "https://x.example/"),
        }), GeneralNames.getInstance(san.getParsedValue()));
        assertEquals(5, csr.subjectAltNames().size());
        assertEquals("IP:10.0.0.1", csr.subjectAltNames().get(1).toString());
    }

    @Test
    void pemIsBase64InLinesOf64BetweenTheRequestMarkers() throws Exception {
        CertificationRequest csr = build(rsa, SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256, SubjectAltName.dns("a.example"));
        String[] lines = csr.pem().split("\n", -1);
        assertEquals("-----BEGIN CERTIFICATE REQUEST-----", lines[0]);
        assertEquals("-----END CERTIFICATE REQUEST-----", lines[lines.length - 2]);
        assertEquals("", lines[lines.length - 1], "ends with a newline");
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length - 2; i++) {
            assertTrue(lines[i].length() == 64 || i == lines.length - 3 && lines[i].length() <= 64, lines[i]);
            body.append(lines[i]);
        }
        assertArrayEquals(csr.encoded(), Base64.getDecoder().decode(body.toString()));
        byte[] copy = csr.encoded();
        copy[0] ^= 1;
        assertEquals(0x30, csr.encoded()[0], "encoded() hands out copies");
        assertEquals(rsa.publicKey().jdkPublicKey(), csr.publicKey());
    }

    @Test
    void anAlgorithmOfTheOtherKeyTypeIsRefusedBeforeTheKmsIsAsked() {
        int before = kms.requests().size();
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> build(rsa, SigningAlgorithm.ECDSA_SHA_256));
        assertTrue(e.getMessage().contains("ECDSA_SHA_256 does not fit key signing-key (RSA_4096): it needs an EC key"),
                e.getMessage());
        e = assertThrows(InvalidKeyException.class, () -> build(ec, SigningAlgorithm.RSASSA_PSS_SHA_256));
        assertTrue(e.getMessage().contains("it needs an RSA key"), e.getMessage());
        assertEquals(before, kms.requests().size());
    }

    @Test
    void buildNamesWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CertificationRequest.builder()
                .signatureAlgorithm(SigningAlgorithm.ECDSA_SHA_256).build(ec));
        assertEquals("the subject is not set", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> CertificationRequest.builder().subject(SUBJECT).build(ec));
        assertEquals("the signature algorithm is not set", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> CertificationRequest.builder().subject(new X500Principal(""))
                .signatureAlgorithm(SigningAlgorithm.ECDSA_SHA_256).build(ec));
        assertTrue(e.getMessage().contains("empty name"), e.getMessage());
        assertThrows(NullPointerException.class, () -> CertificationRequest.builder().subjectAltNames(
                java.util.Arrays.asList(SubjectAltName.dns("a.example"), null)));
    }

    @Test
    void aKeyThatOnlyLooksLikeAHandleIsRefused() {
        InfisicalPrivateKey impostor = new InfisicalPrivateKey() {
            @Override
            public InfisicalPublicKey publicKey() {
                return rsa.publicKey();
            }

            @Override
            public String keyId() {
                return rsa.keyId();
            }

            @Override
            public KmsKey metadata() {
                return rsa.metadata();
            }

            @Override
            public String getAlgorithm() {
                return "RSA";
            }

            @Override
            public String getFormat() {
                return null;
            }

            @Override
            public byte[] getEncoded() {
                return null;
            }
        };
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> build(impostor, SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256));
        assertTrue(e.getMessage().contains("Infisical private-key handle"), e.getMessage());
    }

    @Test
    void theBuilderCanBeReusedAndEachRequestKeepsItsOwnNames() throws Exception {
        CertificationRequest.Builder b = CertificationRequest.builder().subject(SUBJECT)
                .signatureAlgorithm(SigningAlgorithm.ECDSA_SHA_256).addSubjectAltName(SubjectAltName.dns("a.example"));
        CertificationRequest first = b.build(ec);
        b.addSubjectAltName(SubjectAltName.dns("b.example"));
        CertificationRequest second = b.build(ec);
        assertEquals(1, first.subjectAltNames().size());
        assertEquals(2, second.subjectAltNames().size());
        assertThrows(UnsupportedOperationException.class, () -> first.subjectAltNames().clear());
        assertEquals(new ASN1Integer(0), ASN1Integer.getInstance(
                org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(first.encoded())
                        .getCertificationRequestInfo().getVersion()), "version 0 (v1)");
    }
}
