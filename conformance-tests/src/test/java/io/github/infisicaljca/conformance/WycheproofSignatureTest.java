package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.infisicaljca.conformance.Wycheproof.Family;
import io.github.infisicaljca.conformance.Wycheproof.Group;
import io.github.infisicaljca.conformance.Wycheproof.Vector;
import io.github.infisicaljca.conformance.Wycheproof.VectorFile;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Wycheproof verify vector whose algorithm the provider's names cover, through the
 * provider's local-verify path with standard public keys: {@code Signature.getInstance(name,
 * infisical).initVerify(x509PublicKey)}. A valid vector must verify; an invalid one must give
 * false or a SignatureException, never true; an acceptable one may do either. The provider is
 * configured against the emulator in its own process, though verification needs no server.
 */
class WycheproofSignatureTest {
    private static final Map<String, String> GROUP_KIND = Map.of("RsassaPkcs1Verify", "PKCS1",
            "RsassaPssVerify", "PSS", "EcdsaVerify", "ECDSA");
    private static final Map<String, Integer> DIGEST_LENGTH = Map.of("SHA-256", 32, "SHA-384", 48, "SHA-512", 64);
    private static final Pattern STANDARD = Pattern.compile("SHA(256|384|512)with(RSA/PSS|RSA|ECDSA)");

    /**
     * What a provider Signature name computes.
     *
     * @param sha null for {@code RSASSA-PSS}, whose PSSParameterSpec (from the group) picks the hash
     */
    record Engine(String name, String kind, String sha) {
        static Engine of(String name) {
            switch (name) {
                case "INFISICAL-RSA":
                    return new Engine(name, "PKCS1", "SHA-256");
                case "INFISICAL-RSA-PSS":
                    return new Engine(name, "PSS", "SHA-256");
                case "INFISICAL-ECDSA":
                    return new Engine(name, "ECDSA", "SHA-256");
                case "RSASSA-PSS":
                    return new Engine(name, "PSS", null);
                default:
                    Matcher m = STANDARD.matcher(name);
                    if (!m.matches()) {
                        throw new IllegalArgumentException("not a Signature name of the provider: " + name);
                    }
                    String kind = m.group(2).equals("RSA/PSS") ? "PSS" : m.group(2).equals("RSA") ? "PKCS1" : "ECDSA";
                    return new Engine(name, kind, "SHA-" + m.group(1));
            }
        }
    }

    /** A verification's outcome: the verify result, or the SignatureException that rejected it. */
    record Outcome(Boolean verified, SignatureException rejected) {
    }

    @TestFactory
    Stream<DynamicNode> verifyVectors() throws Exception {
        Provider provider = EmulatorProcess.get().provider();
        return Wycheproof.files(Family.SIGNATURE_VERIFY).stream().map(f -> file(provider, f));
    }

    private static DynamicContainer file(Provider provider, VectorFile file) {
        Wycheproof.TestFile t = Wycheproof.load(file);
        WycheproofTally tally = new WycheproofTally(file.name());
        List<Engine> engines = file.engines().stream().map(Engine::of).toList();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Group g : t.testGroups()) {
            String cannot = unproducible(g);
            if (cannot != null) {
                tally.skip(cannot, g.tests().size());
                continue;
            }
            for (Engine e : engines) {
                // A table error (a name that does not compute this group's algorithm), never a skip.
                String kind = GROUP_KIND.get(g.type());
                if (!e.kind().equals(kind) || e.sha() != null && !e.sha().equals(g.sha())) {
                    nodes.add(DynamicTest.dynamicTest("table error: " + e.name(), () -> fail(file.name() + ": "
                            + e.name() + " does not compute " + g.type() + " with " + g.sha())));
                }
            }
            PublicKeyOrFailure key = decode(file.keyType(), g);
            for (Vector v : g.tests()) {
                nodes.add(DynamicTest.dynamicTest(v.describe(), () -> tally.check(() -> {
                    for (Engine e : engines) {
                        check(provider, e, g, key.get(), v, file.name());
                    }
                })));
            }
        }
        nodes.add(tally.summary());
        return DynamicContainer.dynamicContainer(file.name() + " " + file.engines(), nodes);
    }

    private static void check(Provider provider, Engine e, Group g, PublicKey key, Vector v, String fileName)
            throws GeneralSecurityException {
        Outcome o = verify(provider, e, g, key, v);
        String where = fileName + " " + v.describe() + " with " + e.name();
        switch (v.result()) {
            case VALID:
                if (o.rejected() != null) {
                    throw new AssertionError(where + ": a valid signature was rejected", o.rejected());
                }
                assertEquals(Boolean.TRUE, o.verified(), where + ": a valid signature did not verify");
                break;
            case INVALID:
                if (Boolean.TRUE.equals(o.verified())) {
                    fail(where + ": an invalid signature verified");
                }
                break;
            case ACCEPTABLE:
                break; // either answer conforms; reaching here means no unexpected exception either
            default:
                fail(where + ": no result");
        }
    }

    /** Verifies with a fresh engine of the provider, on the local path (a standard public key). */
    private static Outcome verify(Provider provider, Engine e, Group g, PublicKey key, Vector v)
            throws GeneralSecurityException {
        Signature s = Signature.getInstance(e.name(), provider);
        assertEquals("Infisical", s.getProvider().getName(), e.name() + " came from another provider");
        s.initVerify(key);
        if (e.sha() == null) {
            s.setParameter(new PSSParameterSpec(g.sha(), g.mgf(), new MGF1ParameterSpec(g.mgfSha()), g.sLen(),
                    PSSParameterSpec.TRAILER_FIELD_BC));
        }
        assertEquals("Infisical", s.getProvider().getName(), e.name() + " moved to another provider on initVerify");
        try {
            s.update(v.msgBytes());
            return new Outcome(s.verify(v.sigBytes()), null);
        } catch (SignatureException rejected) {
            return new Outcome(null, rejected);
        }
    }

    /** Why Infisical could never have made this group's signatures, or null when it could. */
    static String unproducible(Group g) {
        String kind = GROUP_KIND.get(g.type());
        if (kind == null) {
            return "group type " + g.type() + " is not a signature verification";
        }
        if (!DIGEST_LENGTH.containsKey(g.sha())) {
            return "hash " + g.sha() + " (Infisical signs with SHA-256/384/512 only)";
        }
        if (kind.equals("PSS") && (!"MGF1".equals(g.mgf()) || !g.sha().equals(g.mgfSha())
                || g.sLen() == null || g.sLen().intValue() != DIGEST_LENGTH.get(g.sha()))) {
            return "PSS " + g.mgf() + "(" + g.mgfSha() + ") salt " + g.sLen() + " (Infisical uses MGF1, the same hash,"
                    + " salt = digest length)";
        }
        return null;
    }

    private static PublicKeyOrFailure decode(String keyType, Group g) {
        try {
            byte[] der = g.publicKeyX509();
            assertNotNull(der, "the group has no publicKeyDer/keyDer");
            return new PublicKeyOrFailure(KeyFactory.getInstance(keyType).generatePublic(new X509EncodedKeySpec(der)),
                    null);
        } catch (GeneralSecurityException | AssertionError e) {
            return new PublicKeyOrFailure(null, e);
        }
    }

    /** A group's decoded key, or why it would not decode (which fails each of its vectors). */
    record PublicKeyOrFailure(PublicKey key, Throwable failure) {
        PublicKey get() {
            if (failure != null) {
                throw new AssertionError("the group's public key does not decode", failure);
            }
            return key;
        }
    }
}
