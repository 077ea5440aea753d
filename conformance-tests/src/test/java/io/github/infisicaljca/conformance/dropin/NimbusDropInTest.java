package io.github.infisicaljca.conformance.dropin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.infisicaljca.conformance.dropin.DropInKeys.Kind;
import io.github.infisicaljca.conformance.dropin.Jose.Alg;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nimbus JOSE+JWT signing JWTs with KMS handles ({@link RSASSASigner}, {@link ECDSASigner}, the
 * provider set on the signer's JCA context), each token verified by Nimbus with the plain
 * public key and its raw signature by BouncyCastle; and, with the provider at position 1,
 * Nimbus's ordinary-key signing and verifying untouched.
 */
class NimbusDropInTest {
    private static final DropInTally TALLY = new DropInTally("nimbus-jose-jwt");

    private static DropInKeys keys;

    @BeforeAll
    static void start() throws Exception {
        keys = DropInKeys.get();
    }

    @AfterAll
    static void summary() {
        TALLY.printAndAssert();
    }

    private static JWSSigner signer(Alg alg, PrivateKey key) throws Exception {
        if (alg.kind == Kind.RSA) {
            return new RSASSASigner(key);
        }
        Curve curve = alg.kind == Kind.EC_P256 ? Curve.P_256 : alg.kind == Kind.EC_P384 ? Curve.P_384 : Curve.P_521;
        return new ECDSASigner(key, curve);
    }

    private static JWSVerifier verifier(Alg alg, PublicKey key) throws Exception {
        return alg.kind == Kind.RSA ? new RSASSAVerifier((RSAPublicKey) key) : new ECDSAVerifier((ECPublicKey) key);
    }

    private static String sign(Alg alg, JWSSigner signer, String keyId) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("drop-in").issuer("infisical-jca")
                .issueTime(new Date(1_700_000_000_000L)).claim("alg-under-test", alg.name()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(alg.name())).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @ParameterizedTest
    @EnumSource(Alg.class)
    void tokensSignedWithAKmsHandleVerifyWithThePlainPublicKey(Alg alg) throws Exception {
        DropInKeys.Key key = keys.key(alg.kind);
        String token = TALLY.value(alg + " sign with handle", () -> {
            JWSSigner signer = signer(alg, key.handle());
            // Named explicitly: the handle's engines are Infisical's, and the provider is not registered.
            signer.getJCAContext().setProvider(keys.provider());
            return sign(alg, signer, key.handle().keyId());
        });
        TALLY.check(alg + " Nimbus verifies", () -> {
            assertNull(Security.getProvider(keys.provider().getName()), "verification must not see Infisical");
            SignedJWT parsed = SignedJWT.parse(token);
            assertEquals(alg.name(), parsed.getHeader().getAlgorithm().getName());
            assertTrue(parsed.verify(verifier(alg, key.publicKey())), "Nimbus with the plain public key");
            assertEquals("drop-in", parsed.getJWTClaimsSet().getSubject());
        });
        TALLY.check(alg + " BC verifies the raw signature", () -> assertTrue(Jose.bcVerifies(token, alg,
                key.publicKey())));
        TALLY.check(alg + " other payload fails", () -> assertFalse(SignedJWT.parse(Jose.withOtherPayload(token))
                .verify(verifier(alg, key.publicKey()))));
    }

    /**
     * docs: contract.md, "Behaviour every user relies on": with the provider at position 1,
     * ordinary keys keep working, also where Nimbus sets PSS parameters before {@code init}.
     */
    @ParameterizedTest
    @EnumSource(value = Alg.class, names = {"RS256", "PS256", "ES256"})
    void ordinaryKeysWithTheProviderAtPositionOne(Alg alg) throws Exception {
        KeyPair pair = keys.ordinary(alg.kind);
        Jose.withProviderFirst(keys.provider(), () -> {
            String token = TALLY.value(alg + " first: sign with an ordinary key", () -> sign(alg, signer(alg,
                    pair.getPrivate()), "plain"));
            TALLY.check(alg + " first: Nimbus verifies", () -> assertTrue(SignedJWT.parse(token).verify(verifier(alg,
                    pair.getPublic()))));
            TALLY.check(alg + " first: BC verifies the raw signature", () -> assertTrue(Jose.bcVerifies(token, alg,
                    pair.getPublic())));
            TALLY.check(alg + " first: other payload fails", () -> assertFalse(SignedJWT.parse(
                    Jose.withOtherPayload(token)).verify(verifier(alg, pair.getPublic()))));
        });
    }
}
