package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Wycheproof test vectors (C2SP {@code testvectors_v1}, schema v1) as typed records, and the
 * table of the files the suites run. Adding a file is one line in {@link #FILES}: copy the
 * JSON into {@code src/test/resources/wycheproof/} unchanged and name the engines it goes to.
 */
final class Wycheproof {
    /** What a suite does with a file. */
    enum Family {
        /** Verify vectors through the provider's local-verify path with standard public keys. */
        SIGNATURE_VERIFY,
        /** Deterministic signature generation through provider -> HTTP -> emulator. */
        SIGNATURE_GENERATE,
        /** MAC vectors: the audit HMAC fallback and INFISICAL-HMAC through the emulator. */
        MAC
    }

    /**
     * One vector file.
     *
     * @param name    the resource name without {@code .json}
     * @param family  which suite runs it
     * @param keyType the JDK KeyFactory algorithm of its keys ({@code RSA}, {@code EC}), or the MAC
     * @param engines the provider's Signature (or Mac) names every applicable vector goes through
     */
    record VectorFile(String name, Family family, String keyType, List<String> engines) {
        static VectorFile verify(String name, String keyType, String... engines) {
            return new VectorFile(name, Family.SIGNATURE_VERIFY, keyType, List.of(engines));
        }

        static VectorFile generate(String name, String keyType, String... engines) {
            return new VectorFile(name, Family.SIGNATURE_GENERATE, keyType, List.of(engines));
        }

        static VectorFile mac(String name, String... engines) {
            return new VectorFile(name, Family.MAC, "HMAC", List.of(engines));
        }

        String resource() {
            return "/wycheproof/" + name + ".json";
        }
    }

    /** Every file the suites run: one line each. */
    static final List<VectorFile> FILES = List.of(
            VectorFile.verify("rsa_signature_2048_sha256_test", "RSA", "SHA256withRSA", "INFISICAL-RSA"),
            VectorFile.verify("rsa_signature_4096_sha256_test", "RSA", "SHA256withRSA", "INFISICAL-RSA"),
            VectorFile.verify("rsa_signature_4096_sha384_test", "RSA", "SHA384withRSA"),
            VectorFile.verify("rsa_signature_4096_sha512_test", "RSA", "SHA512withRSA"),
            VectorFile.verify("rsa_pss_2048_sha256_mgf1_32_test", "RSA", "SHA256withRSA/PSS", "INFISICAL-RSA-PSS",
                    "RSASSA-PSS"),
            VectorFile.verify("rsa_pss_4096_sha256_mgf1_32_test", "RSA", "SHA256withRSA/PSS", "INFISICAL-RSA-PSS",
                    "RSASSA-PSS"),
            VectorFile.verify("rsa_pss_4096_sha512_mgf1_64_test", "RSA", "SHA512withRSA/PSS", "RSASSA-PSS"),
            VectorFile.verify("ecdsa_secp256r1_sha256_test", "EC", "SHA256withECDSA", "INFISICAL-ECDSA"),
            VectorFile.verify("ecdsa_secp384r1_sha384_test", "EC", "SHA384withECDSA"),
            VectorFile.verify("ecdsa_secp521r1_sha512_test", "EC", "SHA512withECDSA"),
            VectorFile.generate("rsa_pkcs1_4096_sig_gen_test", "RSA", "SHA256withRSA", "SHA384withRSA",
                    "SHA512withRSA"),
            VectorFile.mac("hmac_sha256_test", "INFISICAL-HMAC"));

    static List<VectorFile> files(Family family) {
        return FILES.stream().filter(f -> f.family() == family).collect(Collectors.toList());
    }

    enum Result {
        @JsonProperty("valid") VALID,
        @JsonProperty("invalid") INVALID,
        @JsonProperty("acceptable") ACCEPTABLE
    }

    /** A whole file: its algorithm, schema, notes on the flags, and the groups. */
    record TestFile(String algorithm, String schema, int numberOfTests, List<String> header, Map<String, Note> notes,
            List<Group> testGroups) {
    }

    record Note(String bugType, String description) {
    }

    /**
     * A group of vectors sharing a key and parameters. Only the fields some schema has are set;
     * hex fields stay as text (see the byte accessors).
     */
    record Group(String type, Integer keySize, String sha, String mgf, String mgfSha, Integer sLen, Integer tagSize,
            JsonNode publicKey, String publicKeyDer, String keyDer, String privateKeyPkcs8, List<Vector> tests) {
        /** The X.509 SubjectPublicKeyInfo: {@code publicKeyDer} (verify schemas) or {@code keyDer} (generate). */
        byte[] publicKeyX509() {
            return hex(publicKeyDer != null ? publicKeyDer : keyDer);
        }

        byte[] privateKeyPkcs8Bytes() {
            return hex(privateKeyPkcs8);
        }

        /** The curve of an EC public key ({@code secp256r1} ...), or null. */
        String curve() {
            return publicKey != null && publicKey.hasNonNull("curve") ? publicKey.get("curve").asText() : null;
        }
    }

    /** One vector: {@code sig} for signatures, {@code key} and {@code tag} for MACs. */
    record Vector(int tcId, String comment, String key, String msg, String sig, String tag, Result result,
            List<String> flags) {
        byte[] msgBytes() {
            return hex(msg);
        }

        byte[] sigBytes() {
            return hex(sig);
        }

        byte[] keyBytes() {
            return hex(key);
        }

        byte[] tagBytes() {
            return hex(tag);
        }

        /** For display names: {@code tcId 12 invalid (comment) [Flag, ...]}. */
        String describe() {
            return "tcId " + tcId + " " + result.name().toLowerCase(java.util.Locale.ROOT)
                    + (comment == null || comment.isEmpty() ? "" : " (" + comment + ")")
                    + (flags == null || flags.isEmpty() ? "" : " " + flags);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private Wycheproof() {
    }

    /**
     * Reads a file from the test classpath and checks it is what the table says: a v1 schema,
     * at least one vector, and as many vectors as it declares.
     */
    static TestFile load(VectorFile file) {
        TestFile t;
        try (InputStream in = Wycheproof.class.getResourceAsStream(file.resource())) {
            assertNotNull(in, file.resource() + " is not on the test classpath (copy it into src/test/resources)");
            t = JSON.readValue(in, TestFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.resource(), e);
        }
        assertNotNull(t.schema(), file.name() + ": no schema");
        assertTrue(t.schema().endsWith("_v1.json"), file.name() + ": not a v1 schema: " + t.schema());
        assertNotNull(t.testGroups(), file.name() + ": no testGroups");
        int count = t.testGroups().stream().mapToInt(g -> g.tests().size()).sum();
        assertTrue(count > 0, file.name() + ": no vectors");
        assertEquals(t.numberOfTests(), count, file.name() + ": numberOfTests disagrees with the vectors present");
        return t;
    }

    static byte[] hex(String s) {
        return s == null ? null : HexFormat.of().parseHex(s);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
