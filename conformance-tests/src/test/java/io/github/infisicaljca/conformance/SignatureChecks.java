package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;

/**
 * The {@link Signature} contract as the JDK documents it, checked on one registered Signature
 * service: the state machine, the exceptions each method declares, reuse after sign/verify,
 * and PSS parameters that round-trip through {@link AlgorithmParameters}.
 */
final class SignatureChecks {
    static final byte[] ONE = "the first message".getBytes(StandardCharsets.UTF_8);
    static final byte[] TWO = "the second message, a little longer".getBytes(StandardCharsets.UTF_8);

    /** What a Signature name means: key family, padding and hash. */
    record Scheme(String name, boolean ec, boolean pss, String hash) {
        /** The PSS parameters Infisical produces for this hash: MGF1 with the same hash, salt = digest length. */
        PSSParameterSpec pssSpec() {
            return pssSpec(hash);
        }

        /** The parameter sets to exercise: RSASSA-PSS is chosen by its parameters, so all three. */
        List<PSSParameterSpec> pssSpecs() {
            if (!pss) {
                return List.of();
            }
            return name.equals("RSASSA-PSS") ? List.of(pssSpec("SHA-256"), pssSpec("SHA-384"), pssSpec("SHA-512"))
                    : List.of(pssSpec());
        }

        static PSSParameterSpec pssSpec(String hash) {
            int salt = Integer.parseInt(hash.substring(4)) / 8;
            return new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt, PSSParameterSpec.TRAILER_FIELD_BC);
        }

        /** The contract's meaning of every Signature name; an unknown name fails, so a new one gets a row. */
        static Scheme of(String name) {
            switch (name) {
                case "INFISICAL-RSA":
                case "SHA256withRSA":
                    return new Scheme(name, false, false, "SHA-256");
                case "SHA384withRSA":
                    return new Scheme(name, false, false, "SHA-384");
                case "SHA512withRSA":
                    return new Scheme(name, false, false, "SHA-512");
                case "INFISICAL-ECDSA":
                case "SHA256withECDSA":
                    return new Scheme(name, true, false, "SHA-256");
                case "SHA384withECDSA":
                    return new Scheme(name, true, false, "SHA-384");
                case "SHA512withECDSA":
                    return new Scheme(name, true, false, "SHA-512");
                case "INFISICAL-RSA-PSS":
                case "SHA256withRSA/PSS":
                case "RSASSA-PSS": // its parameters choose; SHA-256 is the first exercised
                    return new Scheme(name, false, true, "SHA-256");
                case "SHA384withRSA/PSS":
                    return new Scheme(name, false, true, "SHA-384");
                case "SHA512withRSA/PSS":
                    return new Scheme(name, false, true, "SHA-512");
                default:
                    throw new AssertionError("Signature " + name + " is not in the contract's table");
            }
        }
    }

    private static KeyPair plainRsa;
    private static KeyPair plainEc;

    private SignatureChecks() {
    }

    /** Ordinary JDK key pairs, the keys a handle-only engine must refuse. */
    private static synchronized void plainKeys() throws Exception {
        if (plainRsa == null) {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
            rsa.initialize(2048);
            plainRsa = rsa.generateKeyPair();
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", "SunEC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            plainEc = ec.generateKeyPair();
        }
    }

    /** Signature javadoc: update/sign/verify on an uninitialised object, or in the other mode, throw SignatureException. */
    static void stateMachine(ServiceTester.Entry e, SeededKeys k) throws Exception {
        Scheme scheme = Scheme.of(e.algorithm());
        Signature s = Signature.getInstance(e.algorithm(), k.provider());
        assertThrows(SignatureException.class, () -> s.update((byte) 1), "update(byte) before init");
        assertThrows(SignatureException.class, () -> s.update(ONE), "update(byte[]) before init");
        assertThrows(SignatureException.class, () -> s.update(ONE, 1, 2), "update(byte[],int,int) before init");
        assertThrows(SignatureException.class, () -> s.update(ByteBuffer.wrap(ONE)), "update(ByteBuffer) before init");
        assertThrows(SignatureException.class, s::sign, "sign() before init");
        assertThrows(SignatureException.class, () -> s.sign(new byte[1024], 0, 1024), "sign(byte[],int,int) before init");
        assertThrows(SignatureException.class, () -> s.verify(new byte[64]), "verify before init");

        InfisicalPrivateKey key = scheme.ec() ? k.ec() : k.rsa();
        s.initSign(key);
        if (e.algorithm().equals("RSASSA-PSS")) {
            // Its parameters pick the hash: until they come, input is refused, not guessed.
            assertThrows(SignatureException.class, () -> s.update(ONE), "RSASSA-PSS update before setParameter");
            s.setParameter(scheme.pssSpec());
        }
        assertThrows(SignatureException.class, () -> s.verify(new byte[64]), "verify while initialised for signing");
        s.update("discarded by the next init".getBytes(StandardCharsets.UTF_8));
        s.initSign(key); // a new init starts a new message
        s.update(ONE);
        byte[] first = s.sign();
        s.update(TWO, 0, TWO.length); // reusable after sign(): a fresh message, same key
        byte[] second = s.sign();

        s.initVerify(key.publicKey());
        assertThrows(SignatureException.class, s::sign, "sign while initialised for verification");
        s.update(ONE);
        assertTrue(s.verify(first), "the first signature, after re-init for verification");
        s.update(ByteBuffer.wrap(TWO));
        assertTrue(s.verify(second), "the second signature: verify() resets the object for the next message");
        s.update(ONE);
        assertFalse(s.verify(second), "a signature over another message");
        s.update(TWO);
        assertTrue(s.verify(second), "after a failed verify the object is still usable");
    }

    /** initSign/initVerify with a key this engine cannot use: InvalidKeyException, as both declare. */
    @SuppressWarnings("deprecation") // setParameter(String, Object) is part of the contract still
    static void wrongKeys(ServiceTester.Entry e, SeededKeys k) throws Exception {
        plainKeys();
        Scheme scheme = Scheme.of(e.algorithm());
        Signature s = Signature.getInstance(e.algorithm(), k.provider());
        KeyPair plainSame = scheme.ec() ? plainEc : plainRsa;
        KeyPair plainOther = scheme.ec() ? plainRsa : plainEc;
        InfisicalPrivateKey otherHandle = scheme.ec() ? k.rsa() : k.ec();
        if (e.algorithm().startsWith("INFISICAL-")) {
            assertThrows(InvalidKeyException.class, () -> s.initSign(plainSame.getPrivate()),
                    "initSign with an ordinary " + plainSame.getPrivate().getAlgorithm() + " private key (not a handle)");
        } else {
            ordinaryKeyGoesToTheJdk(s, scheme, plainSame);
            assertThrows(InvalidKeyException.class, () -> s.initSign(plainOther.getPrivate()),
                    "initSign with an ordinary private key of the other family");
        }
        assertThrows(InvalidKeyException.class, () -> s.initSign(otherHandle), "initSign with a handle of the other family");
        assertThrows(InvalidKeyException.class, () -> s.initSign(null), "initSign(null)");
        assertThrows(InvalidKeyException.class, () -> s.initVerify(plainOther.getPublic()),
                "initVerify with a public key of the other family");
        assertThrows(InvalidKeyException.class, () -> s.initVerify(otherHandle.publicKey()),
                "initVerify with a public handle of the other family");
        assertThrows(InvalidKeyException.class, () -> s.initVerify((java.security.PublicKey) null), "initVerify(null)");
        assertThrows(InvalidParameterException.class, () -> s.setParameter("saltLength", 32),
                "the deprecated setParameter(String, Object)");
    }

    /**
     * A standard name given an ordinary private key signs with the JDK's engine (what keeps
     * ordinary keys working with the provider first in line); a JDK verifier found without
     * Infisical accepts the signature.
     */
    private static void ordinaryKeyGoesToTheJdk(Signature s, Scheme scheme, KeyPair plain) throws Exception {
        s.initSign(plain.getPrivate());
        if (scheme.pss() && scheme.name().equals("RSASSA-PSS")) {
            s.setParameter(Scheme.pssSpec("SHA-256"));
        }
        s.update(ONE);
        byte[] signature = s.sign();
        Signature jdk = Signature.getInstance(scheme.pss() ? "RSASSA-PSS" : scheme.name(),
                scheme.ec() ? "SunEC" : "SunRsaSign");
        if (scheme.pss()) {
            jdk.setParameter(scheme.name().equals("RSASSA-PSS") ? Scheme.pssSpec("SHA-256") : scheme.pssSpec());
        }
        jdk.initVerify(plain.getPublic());
        jdk.update(ONE);
        assertTrue(jdk.verify(signature), "the JDK verifies what an ordinary key signed through " + scheme.name());
    }

    /**
     * PSS names: getParameters is the spec in use and round-trips through getEncoded / init(encoded)
     * / getParameterSpec; the decoded spec is accepted back. Other names take no parameters.
     */
    static void parameters(ServiceTester.Entry e, SeededKeys k) throws Exception {
        Scheme scheme = Scheme.of(e.algorithm());
        Signature s = Signature.getInstance(e.algorithm(), k.provider());
        if (!scheme.pss()) {
            s.initSign(scheme.ec() ? k.ec() : k.rsa());
            assertNull(s.getParameters(), "a name without parameters has none");
            assertThrows(InvalidAlgorithmParameterException.class, () -> s.setParameter(Scheme.pssSpec("SHA-256")),
                    "PSS parameters given to a name without parameters");
            return;
        }
        s.initSign(k.rsa());
        assertThrows(InvalidAlgorithmParameterException.class, () -> s.setParameter(null), "null PSS parameters");
        assertThrows(InvalidAlgorithmParameterException.class, () -> s.setParameter(new PSSParameterSpec(
                scheme.hash(), "MGF1", new MGF1ParameterSpec(scheme.hash()), 20, 1)), "a salt Infisical does not use");
        assertThrows(InvalidAlgorithmParameterException.class, () -> s.setParameter(new PSSParameterSpec(
                scheme.hash(), "MGF1", MGF1ParameterSpec.SHA1, Scheme.pssSpec(scheme.hash()).getSaltLength(), 1)),
                "MGF1 with another hash");
        for (PSSParameterSpec spec : scheme.pssSpecs()) {
            s.setParameter(spec);
            AlgorithmParameters ap = s.getParameters();
            assertNotNull(ap, "getParameters after setParameter(" + spec.getDigestAlgorithm() + ")");
            assertEquals("RSASSA-PSS", ap.getAlgorithm());
            assertSpecEquals(spec, ap.getParameterSpec(PSSParameterSpec.class));
            byte[] encoded = ap.getEncoded();
            AlgorithmParameters decoded = AlgorithmParameters.getInstance("RSASSA-PSS");
            decoded.init(encoded);
            PSSParameterSpec back = decoded.getParameterSpec(PSSParameterSpec.class);
            assertSpecEquals(spec, back);
            assertArrayEquals(encoded, decoded.getEncoded(), "the DER encoding is stable");

            Signature again = Signature.getInstance(e.algorithm(), k.provider());
            again.initSign(k.rsa());
            again.setParameter(back);
            assertSpecEquals(spec, again.getParameters().getParameterSpec(PSSParameterSpec.class));
            again.update(ONE);
            byte[] sig = again.sign();
            again.initVerify(k.rsa().publicKey());
            again.update(ONE);
            assertTrue(again.verify(sig), "signed and verified with the decoded parameters");
        }
        for (String other : List.of("SHA-256", "SHA-384", "SHA-512")) {
            if (!e.algorithm().equals("RSASSA-PSS") && !other.equals(scheme.hash())) {
                assertThrows(InvalidAlgorithmParameterException.class, () -> s.setParameter(Scheme.pssSpec(other)),
                        e.algorithm() + " is fixed to " + scheme.hash() + ", not " + other);
            }
        }
    }

    /** PSSParameterSpec has no equals: field by field. */
    static void assertSpecEquals(PSSParameterSpec want, PSSParameterSpec got) {
        String what = "PSS parameters " + describe(got) + ", expected " + describe(want);
        assertEquals(want.getDigestAlgorithm(), got.getDigestAlgorithm(), what);
        assertEquals(want.getMGFAlgorithm(), got.getMGFAlgorithm(), what);
        assertEquals(((MGF1ParameterSpec) want.getMGFParameters()).getDigestAlgorithm(),
                ((MGF1ParameterSpec) got.getMGFParameters()).getDigestAlgorithm(), what);
        assertEquals(want.getSaltLength(), got.getSaltLength(), what);
        assertEquals(want.getTrailerField(), got.getTrailerField(), what);
    }

    private static String describe(PSSParameterSpec p) {
        Object mgf = p.getMGFParameters() instanceof MGF1ParameterSpec
                ? ((MGF1ParameterSpec) p.getMGFParameters()).getDigestAlgorithm() : p.getMGFParameters();
        return p.getDigestAlgorithm() + "/" + p.getMGFAlgorithm() + "(" + mgf + ")/salt " + p.getSaltLength()
                + "/trailer " + p.getTrailerField();
    }
}
