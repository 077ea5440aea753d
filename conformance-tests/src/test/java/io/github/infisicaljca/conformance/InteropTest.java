package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the provider makes, checked by others: signatures verify with SunRsaSign, SunEC and
 * BouncyCastle; RS256/PS256/ES256 JWS tokens verify with the JDK; the KeyStore's certificates
 * parse and verify with the JDK, BouncyCastle and keytool. Against the emulator as its own process.
 */
class InteropTest {
    private static final Tally TALLY = new Tally("interop");
    private static final byte[] SHORT = "interop: signed by Infisical, verified elsewhere".getBytes(StandardCharsets.UTF_8);

    private static SeededKeys keys;
    private static ServiceTester tester;
    private static Provider bc;

    @BeforeAll
    static void start() throws Exception {
        keys = SeededKeys.load();
        tester = new ServiceTester(keys.provider());
        bc = new BouncyCastleProvider();
    }

    @AfterAll
    static void summary() {
        TALLY.print();
    }

    /**
     * Every registered Signature name and alias, with the seeded key of its family; messages past
     * maxPayloadBytes too (sent as a digest), except for PSS, which the server signs only raw.
     */
    @Test
    void signaturesVerifyWithSunRsaSignSunEcAndBouncyCastle() {
        Tally.Family f = TALLY.family("signatures");
        byte[] longMessage = CipherChecks.random(keys.provider().config().maxPayloadBytes() * 2 + 7);
        for (ServiceTester.Entry e : tester.services("Signature")) {
            SignatureChecks.Scheme scheme = SignatureChecks.Scheme.of(e.algorithm());
            InfisicalPrivateKey key = scheme.ec() ? keys.ec() : keys.rsa();
            List<PSSParameterSpec> specs = scheme.pss() ? scheme.pssSpecs() : Arrays.asList((PSSParameterSpec) null);
            for (String name : e.names()) {
                boolean alias = !name.equals(e.algorithm());
                for (PSSParameterSpec spec : specs) {
                    String hash = spec != null ? spec.getDigestAlgorithm() : scheme.hash();
                    List<byte[]> messages = scheme.pss() || alias ? List.of(SHORT) : List.of(SHORT, longMessage);
                    for (byte[] msg : messages) {
                        String label = name + (spec != null && name.equals("RSASSA-PSS") ? "(" + hash + ")" : "") + ", "
                                + msg.length + " bytes";
                        byte[][] sig = new byte[1][];
                        Exception[] signFailure = new Exception[1];
                        try {
                            sig[0] = sign(name, key, spec, msg);
                        } catch (Exception ex) {
                            signFailure[0] = ex;
                        }
                        String jdk = scheme.pss() ? "RSASSA-PSS" : hash.replace("-", "") + (scheme.ec() ? "withECDSA" : "withRSA");
                        String bcName = hash.replace("-", "") + (scheme.ec() ? "withECDSA" : scheme.pss() ? "withRSAandMGF1" : "withRSA");
                        Provider sun = java.security.Security.getProvider(scheme.ec() ? "SunEC" : "SunRsaSign");
                        f.vector(label + " x " + sun.getName() + " " + jdk,
                                () -> verifyWith(sun, jdk, spec, key.publicKey(), msg, sig[0], signFailure[0]));
                        f.vector(label + " x BC " + bcName,
                                () -> verifyWith(bc, bcName, spec, key.publicKey(), msg, sig[0], signFailure[0]));
                    }
                }
            }
        }
        f.assertAllPassed();
    }

    private static byte[] sign(String name, InfisicalPrivateKey key, PSSParameterSpec spec, byte[] msg) throws Exception {
        Signature s = Signature.getInstance(name, keys.provider());
        s.initSign(key);
        if (spec != null) {
            s.setParameter(spec); // the exact spec: accepted by every PSS name, required by RSASSA-PSS
        }
        s.update(msg);
        return s.sign();
    }

    /** Verifies with {@code verifier}'s own engine and its own key object, decoded from the X.509 encoding. */
    private static void verifyWith(Provider verifier, String name, PSSParameterSpec spec, PublicKey handle, byte[] msg,
            byte[] sig, Exception signFailure) throws Exception {
        if (signFailure != null) {
            throw new AssertionError("signing through the provider failed", signFailure);
        }
        PublicKey own = KeyFactory.getInstance(handle.getAlgorithm(), verifier)
                .generatePublic(new X509EncodedKeySpec(handle.getEncoded()));
        Signature v = Signature.getInstance(name, verifier);
        if (spec != null) {
            v.setParameter(spec);
        }
        v.initVerify(own);
        assertEquals(verifier.getName(), v.getProvider().getName());
        v.update(msg);
        assertTrue(v.verify(sig), verifier.getName() + " " + name + " rejects the provider's signature");
        byte[] other = msg.clone();
        other[other.length / 2] ^= 0x01;
        v.update(other);
        assertFalse(v.verify(sig), verifier.getName() + " " + name + " accepts the signature for another message");
    }

    /** RS256, PS256 and ES256 compact tokens signed through the provider, verified with the JDK only. */
    @Test
    void jwsTokensVerifyWithTheJdk() throws Exception {
        Tally.Family f = TALLY.family("jws");
        for (String alg : List.of("RS256", "PS256", "ES256")) {
            InfisicalPrivateKey key = alg.equals("ES256") ? keys.ec() : keys.rsa();
            PublicKey jdkKey = KeyFactory.getInstance(key.getAlgorithm(), alg.equals("ES256") ? "SunEC" : "SunRsaSign")
                    .generatePublic(new X509EncodedKeySpec(key.publicKey().getEncoded()));
            for (int n = 0; n < 6; n++) {
                int i = n;
                String payload = "{\"iss\":\"infisical-jca\",\"sub\":\"conformance\",\"iat\":" + (1_700_000_000L + i)
                        + ",\"n\":" + i + ",\"note\":\"" + "x".repeat(i * 17) + "\"}";
                String label = alg + " #" + i;
                String[] token = new String[1];
                f.vector(label + " verifies", () -> {
                    token[0] = Jws.sign(alg, key, keys.provider(), payload);
                    assertEquals(alg, Jws.headerField(token[0], "alg"));
                    assertEquals(key.keyId(), Jws.headerField(token[0], "kid"));
                    assertEquals(alg.equals("ES256") ? 64 : 512, Jws.signatureOf(token[0]).length, "signature length");
                    assertTrue(Jws.verify(token[0], jdkKey), "the JDK rejects " + token[0]);
                    if (alg.equals("ES256")) {
                        byte[] der = Jws.joseToDer(Jws.signatureOf(token[0]));
                        assertArrayEquals(Jws.signatureOf(token[0]), Jws.derToJose(der, 32), "R||S <-> DER round trip");
                    }
                });
                f.vector(label + " with a flipped payload byte fails", () -> {
                    assertTrue(token[0] != null, "no token was made");
                    assertFalse(Jws.verify(Jws.flipPayloadByte(token[0], i * 5 + 3), jdkKey));
                });
                f.vector(label + " with a flipped signature byte fails", () -> {
                    assertTrue(token[0] != null, "no token was made");
                    assertFalse(Jws.verify(Jws.flipSignatureByte(token[0], i * 7 + 1), jdkKey));
                });
            }
        }
        f.vector("a PS256 header on an RS256 signature fails", () -> {
            String rs = Jws.sign("RS256", keys.rsa(), keys.provider(), "{\"sub\":\"mixed\"}");
            String ps = Jws.b64(("{\"alg\":\"PS256\",\"typ\":\"JWT\",\"kid\":\"" + keys.rsa().keyId() + "\"}")
                    .getBytes(StandardCharsets.UTF_8)) + rs.substring(rs.indexOf('.'));
            PublicKey jdkKey = keys.rsa().publicKey().jdkPublicKey();
            assertFalse(Jws.verify(ps, jdkKey));
        });
        f.assertAllPassed();
    }

    /** The KeyStore's self-signed certificates, read by the JDK, BouncyCastle and keytool. */
    @Test
    void keyStoreCertificatesParseAndVerifyEverywhere(@TempDir Path dir) throws Exception {
        Tally.Family f = TALLY.family("certificates");
        for (String alias : List.of(SeededKeys.RSA, SeededKeys.EC)) {
            InfisicalPrivateKey key = alias.equals(SeededKeys.RSA) ? keys.rsa() : keys.ec();
            X509Certificate cert = assertInstanceOf(X509Certificate.class, keys.keyStore().getCertificate(alias));
            byte[] der = cert.getEncoded();
            String subject = "CN=" + alias;
            f.vector(alias + ": JDK CertificateFactory", () -> {
                X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
                assertEquals(cert, jdk);
                jdk.verify(jdk.getPublicKey()); // throws when the signature is bad
                jdk.checkValidity();
                assertEquals(subject, jdk.getSubjectX500Principal().getName());
                assertEquals(jdk.getSubjectX500Principal(), jdk.getIssuerX500Principal(), "self-signed");
                assertEquals(3, jdk.getVersion());
                assertEquals(alias.equals(SeededKeys.RSA) ? "SHA256withRSA" : "SHA256withECDSA", jdk.getSigAlgName());
                assertArrayEquals(key.publicKey().getEncoded(), jdk.getPublicKey().getEncoded(), "the handle's public key");
                assertEquals(key.publicKey().jdkPublicKey(), jdk.getPublicKey());
                assertEquals(new BigInteger(key.keyId().replace("-", ""), 16), jdk.getSerialNumber(), "serial = key id");
            });
            f.vector(alias + ": BouncyCastle", () -> {
                X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509", bc)
                        .generateCertificate(new ByteArrayInputStream(der));
                assertArrayEquals(der, parsed.getEncoded());
                X509CertificateHolder holder = new JcaX509CertificateHolder(cert);
                assertEquals(subject, holder.getSubject().toString());
                assertEquals(holder, new X509CertificateHolder(der));
                assertTrue(holder.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(bc)
                        .build(cert.getPublicKey())), "BouncyCastle rejects the certificate's signature");
                assertTrue(holder.isValidOn(new java.util.Date()));
                parsed.verify(parsed.getPublicKey(), bc);
                assertArrayEquals(key.publicKey().getEncoded(), parsed.getPublicKey().getEncoded());
            });
            f.vector(alias + ": a flipped signature byte fails with both", () -> {
                byte[] bad = der.clone();
                bad[bad.length - 2] ^= 0x01; // inside the signature BIT STRING, which ends the certificate
                X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(bad));
                assertNotEquals(cert, jdk);
                assertThrows(SignatureException.class, () -> jdk.verify(cert.getPublicKey()));
                assertFalse(new X509CertificateHolder(bad).isSignatureValid(new JcaContentVerifierProviderBuilder()
                        .setProvider(bc).build(cert.getPublicKey())));
            });
            f.vector(alias + ": keytool -printcert", () -> {
                Path file = dir.resolve(alias + ".cer");
                Files.write(file, der);
                String out = keytool("-printcert", "-file", file.toString());
                assertTrue(out.contains("Owner: " + subject), out);
                assertTrue(out.contains("Issuer: " + subject), out);
                assertTrue(out.contains(cert.getSerialNumber().toString(16)), "keytool prints the serial: " + out);
            });
        }
        f.assertAllPassed();
    }

    /** keytool as a child process of this JDK, in English; fails unless it exits 0 within a minute. */
    private static String keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-Duser.language=en", "-J-Duser.country=US"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "keytool " + command + ":\n" + text);
        return text;
    }
}
