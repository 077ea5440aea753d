package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.SigningAlgorithm;
import io.github.infisicaljca.kms.SigningAlgorithm.Family;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Signature name and alias of the provider, with the key that fits it, signs through
 * the emulator and is verified by three independent verifiers: the JDK (SunRsaSign, SunEC),
 * BouncyCastle and the provider itself (locally, with a handle and with a plain public key).
 * Messages cross the raw/digest boundary (empty, 1, 4096, 4097 bytes, 1 MiB) and are fed in
 * odd-sized chunks and single bytes.
 */
class SignatureTest {
    private static final int LIMIT = 4096;
    private static final int[] SIZES = {0, 1, LIMIT, LIMIT + 1, 1 << 20};
    private static final byte[] BIG = new byte[(1 << 20) + 7];
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final String KNOWN_RSA = "known-rsa";

    private static EmulatorFixture fixture;
    private static InfisicalProvider provider;
    private static final Map<String, InfisicalPrivateKey> KEYS = new HashMap<>();
    private static KeyPair knownRsa;

    /** One name with the key it is tried with; {@code spec} only for RSASSA-PSS. */
    record Case(String name, SigningAlgorithm alg, String key, PSSParameterSpec spec) {
        @Override
        public String toString() {
            return name + (spec == null ? "" : "(" + spec.getDigestAlgorithm() + ")") + " with " + key;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        new Random(42).nextBytes(BIG);
        fixture = new EmulatorFixture();
        fixture.kms.importKey("p384", "ECC_NIST_P384", EmulatorFixture.ecKeyPair("secp384r1"));
        fixture.kms.importKey("p521", "ECC_NIST_P521", EmulatorFixture.ecKeyPair("secp521r1"));
        knownRsa = EmulatorFixture.rsa4096();
        fixture.kms.importKey(KNOWN_RSA, "RSA_4096", knownRsa);
        provider = fixture.provider();
        KeyStore ks = fixture.keyStore(provider);
        for (String alias : List.of(KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY, "p384", "p521", KNOWN_RSA)) {
            KEYS.put(alias, EmulatorFixture.privateKey(ks, alias));
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        String rsa = KmsEmulator.SIGNING_KEY;
        c.add(new Case("INFISICAL-RSA", SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256, rsa, null));
        c.add(new Case("INFISICAL-RSA-PSS", SigningAlgorithm.RSASSA_PSS_SHA_256, rsa, null));
        for (String bits : List.of("256", "384", "512")) {
            SigningAlgorithm pkcs1 = SigningAlgorithm.valueOf("RSASSA_PKCS1_V1_5_SHA_" + bits);
            SigningAlgorithm pss = SigningAlgorithm.valueOf("RSASSA_PSS_SHA_" + bits);
            c.add(new Case("SHA" + bits + "withRSA", pkcs1, rsa, null));
            c.add(new Case(pkcs1.wireName(), pkcs1, rsa, null));
            c.add(new Case("SHA" + bits + "withRSA/PSS", pss, rsa, null));
            c.add(new Case(pss.wireName(), pss, rsa, null));
            c.add(new Case("SHA" + bits + "WITHRSAANDMGF1", pss, rsa, null)); // BouncyCastle's name
            c.add(new Case("RSASSA-PSS", pss, rsa, pssSpec(pss)));
        }
        for (String ec : List.of(KmsEmulator.EC_SIGNING_KEY, "p384", "p521")) {
            c.add(new Case("INFISICAL-ECDSA", SigningAlgorithm.ECDSA_SHA_256, ec, null));
            for (String bits : List.of("256", "384", "512")) {
                SigningAlgorithm ecdsa = SigningAlgorithm.valueOf("ECDSA_SHA_" + bits);
                c.add(new Case("SHA" + bits + "withECDSA", ecdsa, ec, null));
                c.add(new Case(ecdsa.wireName(), ecdsa, ec, null));
            }
        }
        return c.stream();
    }

    static Stream<Case> pkcs1Cases() {
        return cases().filter(c -> c.alg.family() == Family.RSA_PKCS1).map(c -> new Case(c.name, c.alg, KNOWN_RSA, null));
    }

    @Test
    void everyRegisteredNameAndAliasIsCoveredHere() throws Exception {
        Set<String> registered = new TreeSet<>();
        for (java.security.Provider.Service s : provider.getServices()) {
            if (s.getType().equals("Signature")) {
                registered.add(s.getAlgorithm());
            }
        }
        for (String k : provider.stringPropertyNames()) {
            if (k.startsWith("Alg.Alias.Signature.")) {
                registered.add(k.substring("Alg.Alias.Signature.".length()));
            }
        }
        Set<String> tested = cases().map(Case::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(tested, registered);
        for (String name : registered) {
            assertEquals(provider, Signature.getInstance(name, provider).getProvider(), name);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void signedByTheProviderVerifiedByJdkBouncyCastleAndTheProvider(Case c) throws Exception {
        InfisicalPrivateKey key = KEYS.get(c.key);
        for (int size : SIZES) {
            byte[] msg = message(size);
            String what = c + ", " + size + " bytes";
            Signature signer = engine(c);
            signer.initSign(key);
            if (c.alg.family() == Family.RSA_PSS && size > LIMIT) {
                SignatureException e = assertThrows(SignatureException.class, () -> feedOddly(signer, msg), what);
                assertMentions(e, "maxPayloadBytes", "PSS", String.valueOf(LIMIT));
                continue;
            }
            feedOddly(signer, msg);
            if (c.alg.family() == Family.RSA_PSS && size == 0) {
                SignatureException e = assertThrows(SignatureException.class, signer::sign, what);
                assertMentions(e, "empty", "PSS");
                continue;
            }
            byte[] sig = signer.sign();
            assertAllVerify(c, key, msg, sig, what);

            feedBytes(signer, msg);
            byte[] again = signer.sign();
            assertAllVerify(c, key, msg, again, what + " (second signature)");
            if (c.alg.family() == Family.RSA_PKCS1) {
                assertArrayEquals(sig, again, "PKCS#1 v1.5 is deterministic: " + what);
            } else {
                assertFalse(java.util.Arrays.equals(sig, again), "PSS and ECDSA are randomised: " + what);
            }
            if (c.alg.family() == Family.ECDSA) {
                assertEquals(0x30, sig[0] & 0xff, "ECDSA signatures are ASN.1 DER SEQUENCEs: " + what);
            } else {
                assertEquals(512, sig.length, what);
            }
        }
    }

    /** The imported key's private half is known, so PKCS#1 v1.5 signatures can be compared byte for byte. */
    @ParameterizedTest
    @MethodSource("pkcs1Cases")
    void pkcs1SignaturesEqualTheJdksOwnWithTheSamePrivateKey(Case c) throws Exception {
        for (int size : new int[] {0, 1, LIMIT, LIMIT + 1}) {
            byte[] msg = message(size);
            Signature signer = engine(c);
            signer.initSign(KEYS.get(KNOWN_RSA));
            feedOddly(signer, msg);
            Signature jdk = Signature.getInstance(hashName(c.alg) + "withRSA", "SunRsaSign");
            jdk.initSign(knownRsa.getPrivate());
            jdk.update(msg);
            assertArrayEquals(jdk.sign(), signer.sign(), c + ", " + size + " bytes");
        }
    }

    @Test
    void aSignatureDoesNotVerifyForAnotherMessageOrAnotherKey() throws Exception {
        for (Case c : List.of(new Case("SHA384withRSA", SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384, KNOWN_RSA, null),
                new Case("SHA256withRSA/PSS", SigningAlgorithm.RSASSA_PSS_SHA_256, KNOWN_RSA, null),
                new Case("SHA512withECDSA", SigningAlgorithm.ECDSA_SHA_512, "p521", null))) {
            byte[] msg = message(LIMIT);
            Signature s = engine(c);
            s.initSign(KEYS.get(c.key));
            s.update(msg);
            byte[] sig = s.sign();
            byte[] other = msg.clone();
            other[LIMIT / 2] ^= 1;
            PublicKey pub = KEYS.get(c.key).publicKey();
            assertFalse(verify(engine(c), pub, other, sig), c.toString());
            assertFalse(verify(jdkVerifier(c.alg), pub, other, sig), c.toString());
            PublicKey wrongKey = KEYS.get(c.alg.family() == Family.ECDSA ? "p384" : KmsEmulator.SIGNING_KEY).publicKey();
            Signature byOtherKey = engine(c);
            byOtherKey.initVerify(wrongKey);
            byOtherKey.update(msg);
            assertFalse(verifyQuietly(byOtherKey, sig), c.toString());
        }
    }

    private static void assertAllVerify(Case c, InfisicalPrivateKey key, byte[] msg, byte[] sig, String what)
            throws Exception {
        PublicKey jdkKey = key.publicKey().jdkPublicKey();
        assertNotNull(jdkKey, what);
        assertTrue(verify(jdkVerifier(c.alg), jdkKey, msg, sig), "JDK: " + what);
        assertTrue(verify(bcVerifier(c.alg), jdkKey, msg, sig), "BouncyCastle: " + what);
        assertTrue(verify(bcVerifier(c.alg), key.publicKey(), msg, sig), "BouncyCastle with the handle: " + what);
        assertTrue(verify(engine(c), key.publicKey(), msg, sig), "Infisical with the handle: " + what);
        assertTrue(verify(engine(c), jdkKey, msg, sig), "Infisical with a plain key: " + what);
    }

    private static boolean verify(Signature v, PublicKey key, byte[] msg, byte[] sig) throws Exception {
        v.initVerify(key);
        v.update(msg);
        return v.verify(sig);
    }

    /** A signature by another key may not even parse (ECDSA r or s past the order): that counts as false. */
    private static boolean verifyQuietly(Signature v, byte[] sig) {
        try {
            return v.verify(sig);
        } catch (SignatureException e) {
            return false;
        }
    }

    /** The provider's engine for the case, with the PSS parameters RSASSA-PSS needs. */
    private static Signature engine(Case c) throws Exception {
        Signature s = Signature.getInstance(c.name, provider);
        if (c.spec != null) {
            s.setParameter(c.spec);
        }
        return s;
    }

    private static Signature jdkVerifier(SigningAlgorithm a) throws Exception {
        switch (a.family()) {
            case RSA_PKCS1:
                return Signature.getInstance(hashName(a) + "withRSA", "SunRsaSign");
            case RSA_PSS:
                Signature s = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
                s.setParameter(pssSpec(a));
                return s;
            default:
                return Signature.getInstance(hashName(a) + "withECDSA", "SunEC");
        }
    }

    /** BouncyCastle's names; {@code ...withRSAandMGF1} defaults to MGF1 with the same hash and salt = digest length. */
    private static Signature bcVerifier(SigningAlgorithm a) throws Exception {
        String suffix = a.family() == Family.RSA_PKCS1 ? "withRSA" : a.family() == Family.RSA_PSS ? "withRSAandMGF1"
                : "withECDSA";
        return Signature.getInstance(hashName(a) + suffix, BC);
    }

    /** Written out here, not taken from the provider: MGF1 with the same hash, salt = digest length, trailer 1. */
    static PSSParameterSpec pssSpec(SigningAlgorithm a) {
        String h = a.hashAlgorithm();
        int salt = h.equals("SHA-256") ? 32 : h.equals("SHA-384") ? 48 : 64;
        return new PSSParameterSpec(h, "MGF1", new MGF1ParameterSpec(h), salt, 1);
    }

    private static String hashName(SigningAlgorithm a) {
        return a.hashAlgorithm().replace("-", "");
    }

    /** The first {@code size} bytes of a fixed pseudo-random buffer. */
    static byte[] message(int size) {
        return java.util.Arrays.copyOf(BIG, size);
    }

    /** Chunks of 1, 3, 7, 13, 509 and 1021 bytes, taken at an offset inside a larger array. */
    static void feedOddly(Signature s, byte[] msg) throws SignatureException {
        byte[] padded = new byte[msg.length + 10];
        System.arraycopy(msg, 0, padded, 5, msg.length);
        int[] chunks = {1, 3, 7, 13, 509, 1021};
        int off = 0;
        for (int i = 0; off < msg.length; i++) {
            int n = Math.min(chunks[i % chunks.length], msg.length - off);
            s.update(padded, 5 + off, n);
            off += n;
        }
        s.update(padded, 0, 0);
    }

    /** One byte at a time up to 4097 bytes; past that in one call (a MiB of single-byte calls proves nothing more). */
    static void feedBytes(Signature s, byte[] msg) throws SignatureException {
        if (msg.length > LIMIT + 1) {
            s.update(msg);
            return;
        }
        for (byte b : msg) {
            s.update(b);
        }
    }

    static void assertMentions(Exception e, String... words) {
        String m = e.getMessage();
        assertNotNull(m, "no message");
        for (String w : words) {
            assertTrue(m.contains(w), "the message should mention '" + w + "': " + m);
        }
    }
}
