package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.der.Der;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local ECDSA verification: strict DER, and the exact re-check for x(R) >= n. Two vectors are
 * from Wycheproof's ecdsa_secp256r1_sha256_test (C2SP/wycheproof, Apache-2.0); the full suites
 * run in the conformance module.
 */
class LocalVerifierTest {
    private static final HexFormat HEX = HexFormat.of();

    /** tcId 479: r = 3 and x(R) = n + 3, valid; JDK 17's SunEC rejects it. */
    private static final String PUB_479 = "3059301306072a8648ce3d020106082a8648ce3d03010703420004ce24c99032d52ac6ead23c0a"
            + "e3ec68ef41e51a281fd457808c83136d7dcce90e8f7a154b551e9f39c59279357aa491b2a62bdebc2bb78613883fc72936c057e0";
    private static final String SIG_479 = "3026020103022100ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254e";

    /** tcId 6: s encoded without its leading zero, invalid; the JDK reads it as positive and accepts it. */
    private static final String PUB_6 = "3059301306072a8648ce3d020106082a8648ce3d030107034200042927b10512bae3eddcfe46782"
            + "8128bad2903269919f7086069c8c4df6c732838c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e7341513e";
    private static final String R_6 = "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e18";
    private static final String S_6 = "b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db";

    @Test
    void acceptsAValidSignatureWhoseXIsAtLeastTheOrder() throws Exception {
        LocalVerifier v = LocalVerifier.of(SigningAlgorithm.ECDSA_SHA_256, ecKey(PUB_479));
        byte[] msg = "hello, world".getBytes(StandardCharsets.US_ASCII);
        v.update(msg, 0, msg.length);
        assertTrue(v.verify(HEX.parseHex(SIG_479)));
        v.update(msg, 0, msg.length - 1);
        assertFalse(v.verify(HEX.parseHex(SIG_479)), "another message must not verify");
    }

    @Test
    void refusesAnIntegerMissingItsLeadingZeroButTakesTheSameValuesInDer() throws Exception {
        ECPublicKey key = ecKey(PUB_6);
        byte[] msg = HEX.parseHex("313233343030");
        byte[] ber = HEX.parseHex("30440220" + R_6 + "0220" + S_6);
        LocalVerifier v = LocalVerifier.of(SigningAlgorithm.ECDSA_SHA_256, key);
        v.update(msg, 0, msg.length);
        assertThrows(SignatureException.class, () -> v.verify(ber));
        byte[] der = Der.sequence(Der.integer(new BigInteger(R_6, 16)), Der.integer(new BigInteger(S_6, 16)));
        v.update(msg, 0, msg.length); // the refusal reset the engine: this is a fresh message
        assertTrue(v.verify(der));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "3006020101020101", // fine
        "3081060201010201 01", // long form for a short length
        "30060201010201", // truncated
        "300702010102010100", // trailing byte inside
        "300602010102010100", // trailing byte after
        "3007020200010201 01", // leading zero not needed
        "30060201ff020101", // negative
        "3005020002010101", // empty INTEGER
        "3080020101020101 0000", // indefinite length
    })
    void decodesOnlyStrictDer(String hex) {
        byte[] der = HEX.parseHex(hex.replace(" ", ""));
        BigInteger[] rs = LocalVerifier.decodeDer(der);
        if (hex.equals("3006020101020101")) {
            assertArrayEquals(new BigInteger[] {BigInteger.ONE, BigInteger.ONE}, rs);
        } else {
            assertNull(rs, hex);
        }
    }

    @ParameterizedTest
    @CsvSource({"secp256r1, SHA256withECDSA, SHA-256", "secp384r1, SHA384withECDSA, SHA-384",
        "secp521r1, SHA512withECDSA, SHA-512", "secp256r1, SHA512withECDSA, SHA-512",
        "secp521r1, SHA256withECDSA, SHA-256"})
    void theArithmeticAgreesWithTheJdk(String curve, String jdkName, String hash) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        for (int i = 0; i < 4; i++) {
            KeyPair kp = g.generateKeyPair();
            ECPublicKey pub = (ECPublicKey) kp.getPublic();
            byte[] msg = ("message " + i).getBytes(StandardCharsets.UTF_8);
            Signature s = Signature.getInstance(jdkName);
            s.initSign(kp.getPrivate());
            s.update(msg);
            BigInteger[] rs = LocalVerifier.decodeDer(s.sign());
            byte[] digest = MessageDigest.getInstance(hash).digest(msg);
            BigInteger n = pub.getParams().getOrder();
            assertTrue(EcdsaArithmetic.verify(pub, digest, rs[0], rs[1]), curve);
            assertFalse(EcdsaArithmetic.verify(pub, MessageDigest.getInstance(hash).digest(new byte[1]), rs[0], rs[1]));
            assertFalse(EcdsaArithmetic.verify(pub, digest, rs[0].add(n), rs[1]), "r must be below n");
            assertFalse(EcdsaArithmetic.verify(pub, digest, rs[0], rs[1].add(n)), "s must be below n");
            assertFalse(EcdsaArithmetic.verify(pub, digest, rs[0], n.subtract(rs[1]).add(BigInteger.ONE)));
        }
    }

    private static ECPublicKey ecKey(String x509Hex) throws Exception {
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(HEX.parseHex(x509Hex)));
    }
}
