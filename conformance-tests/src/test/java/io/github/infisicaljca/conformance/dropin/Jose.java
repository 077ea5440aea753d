package io.github.infisicaljca.conformance.dropin;

import io.github.infisicaljca.conformance.dropin.DropInKeys.Kind;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * What the JWT families share: the JWS algorithms with the KMS key kind each needs (ES curves
 * match the hash), an independent check of a compact JWS's raw signature by BouncyCastle's own
 * provider, and a way to run code with a provider at position 1 that puts the list back after.
 */
final class Jose {
    /** A BC instance for verification only, not registered. */
    static final Provider BC = new BouncyCastleProvider();

    /** Each JWS algorithm, the key kind it is signed with, and BC's name for its raw signature. */
    enum Alg {
        RS256(Kind.RSA, "SHA256withRSA"), RS384(Kind.RSA, "SHA384withRSA"), RS512(Kind.RSA, "SHA512withRSA"),
        PS256(Kind.RSA, "SHA256withRSAandMGF1"), PS384(Kind.RSA, "SHA384withRSAandMGF1"),
        PS512(Kind.RSA, "SHA512withRSAandMGF1"),
        // JWS carries ECDSA as r || s, which BC calls PLAIN-ECDSA.
        ES256(Kind.EC_P256, "SHA256withPLAIN-ECDSA"), ES384(Kind.EC_P384, "SHA384withPLAIN-ECDSA"),
        ES512(Kind.EC_P521, "SHA512withPLAIN-ECDSA");

        final Kind kind;
        final String bcName;

        Alg(Kind kind, String bcName) {
            this.kind = kind;
            this.bcName = bcName;
        }
    }

    private Jose() {
    }

    /** Whether BC verifies the compact JWS's signature over its signing input with {@code key}. */
    static boolean bcVerifies(String compact, Alg alg, PublicKey key) throws Exception {
        String[] parts = compact.split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("not a compact JWS: " + parts.length + " parts");
        }
        Signature s = Signature.getInstance(alg.bcName, BC);
        s.initVerify(key);
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return s.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    /** The same token with another payload and the original signature: it must not verify. */
    static String withOtherPayload(String compact) {
        String[] parts = compact.split("\\.");
        String other = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"mallory\"}".getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + other + "." + parts[2];
    }

    /**
     * Runs {@code body} with {@code provider} inserted at position 1, then removes it, which puts
     * every other provider back at its place. Fails when a provider of that name is already
     * installed, since position 1 would then not be what is tested.
     */
    static void withProviderFirst(Provider provider, DropInTally.Check body) throws Exception {
        int at = Security.insertProviderAt(provider, 1);
        if (at != 1) {
            throw new AssertionError("a provider named " + provider.getName() + " is already installed, so it "
                    + "cannot be put first for this check");
        }
        try {
            body.run();
        } finally {
            Security.removeProvider(provider.getName());
        }
    }
}
