package io.github.infisicaljca.conformance.dropin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.conformance.dropin.Jose.Alg;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SignatureAlgorithm;
import io.jsonwebtoken.security.SignatureException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * JJWT signing JWTs with KMS handles ({@code signWith(handle, Jwts.SIG.RS256)}, the provider given
 * to the builder), each token parsed by JJWT with the plain public key and its raw signature
 * checked by BouncyCastle; and, with the provider at position 1, JJWT's ordinary-key signing
 * and parsing untouched.
 */
class JjwtDropInTest {
    private static final DropInTally TALLY = new DropInTally("jjwt");

    private static DropInKeys keys;

    @BeforeAll
    static void start() throws Exception {
        keys = DropInKeys.get();
    }

    @AfterAll
    static void summary() {
        TALLY.printAndAssert();
    }

    private static SignatureAlgorithm jjwt(Alg alg) {
        return (SignatureAlgorithm) Jwts.SIG.get().forKey(alg.name());
    }

    /** {@code provider} null: JJWT's default, the JCA's choice. */
    private static String sign(Alg alg, PrivateKey key, String keyId, Provider provider) {
        return Jwts.builder().header().keyId(keyId).and().subject("drop-in").issuer("infisical-jca")
                .issuedAt(new Date(1_700_000_000_000L)).claim("alg-under-test", alg.name()).signWith(key, jjwt(alg))
                .provider(provider).compact();
    }

    private static Jws<Claims> parse(String token, PublicKey key) {
        return Jwts.parser().verifyWith(key).build().parseSignedClaims(token);
    }

    @ParameterizedTest
    @EnumSource(Alg.class)
    void tokensSignedWithAKmsHandleVerifyWithThePlainPublicKey(Alg alg) throws Exception {
        DropInKeys.Key key = keys.key(alg.kind);
        // Named explicitly: the handle's engines are Infisical's, and the provider is not registered.
        String token = TALLY.value(alg + " sign with handle", () -> sign(alg, key.handle(), key.handle().keyId(),
                keys.provider()));
        TALLY.check(alg + " JJWT verifies", () -> {
            assertNull(Security.getProvider(keys.provider().getName()), "verification must not see Infisical");
            Jws<Claims> jws = parse(token, key.publicKey());
            assertEquals(alg.name(), jws.getHeader().getAlgorithm());
            assertEquals(key.handle().keyId(), jws.getHeader().getKeyId());
            assertEquals("drop-in", jws.getPayload().getSubject());
        });
        TALLY.check(alg + " BC verifies the raw signature", () -> assertTrue(Jose.bcVerifies(token, alg,
                key.publicKey())));
        TALLY.check(alg + " other payload fails", () -> assertThrows(SignatureException.class,
                () -> parse(Jose.withOtherPayload(token), key.publicKey())));
    }

    /**
     * docs: contract.md, "Behaviour every user relies on": with the provider at position 1,
     * ordinary keys keep working, also where JJWT sets PSS parameters before {@code init}.
     */
    @ParameterizedTest
    @EnumSource(value = Alg.class, names = {"RS256", "PS256", "ES256"})
    void ordinaryKeysWithTheProviderAtPositionOne(Alg alg) throws Exception {
        KeyPair pair = keys.ordinary(alg.kind);
        Jose.withProviderFirst(keys.provider(), () -> {
            String token = TALLY.value(alg + " first: sign with an ordinary key", () -> sign(alg, pair.getPrivate(),
                    "plain", null));
            TALLY.check(alg + " first: JJWT verifies", () -> assertEquals("drop-in", parse(token, pair.getPublic())
                    .getPayload().getSubject()));
            TALLY.check(alg + " first: BC verifies the raw signature", () -> assertTrue(Jose.bcVerifies(token, alg,
                    pair.getPublic())));
            TALLY.check(alg + " first: other payload fails", () -> assertThrows(SignatureException.class,
                    () -> parse(Jose.withOtherPayload(token), pair.getPublic())));
        });
    }
}
