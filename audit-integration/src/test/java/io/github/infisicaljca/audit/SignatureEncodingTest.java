package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.kms.SigningAlgorithm;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A KMS signature is stored as Infisical returns it and the original kept it: standard base64
 * with padding. Every other spelling of the same bytes (which a lenient decoder accepts) is a
 * failed verification with a reason, never an exception and never a pass.
 */
class SignatureEncodingTest {
    private static final String EVENT = "{\"timestamp\":\"2024-02-02T23:58:28.734Z\",\"action\":\"userLogin\","
            + "\"status\":\"success\",\"principalId\":\"user-1\"}";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private static AuditEmulator emu;

    @BeforeAll
    static void start() {
        emu = new AuditEmulator();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    /** Spellings of {@code sig} that decode to the same bytes (or the same bytes plus nothing) under lenient decoders. */
    static Map<String, String> variants(String sig) {
        Map<String, String> v = new LinkedHashMap<>();
        String body = sig.replaceAll("=+$", "");
        int pad = sig.length() - body.length();
        assertTrue(pad > 0, "the test needs a signature whose length is not a multiple of 3: " + sig);
        v.put("without padding", body);
        // The last character before the padding carries unused bits; set them.
        char last = body.charAt(body.length() - 1);
        int value = ALPHABET.indexOf(last);
        int unused = pad == 1 ? 0b11 : 0b1111;
        char loud = ALPHABET.charAt((value & unused) == 0 ? value | 1 : value & ~unused);
        v.put("non-zero unused bits", body.substring(0, body.length() - 1) + loud + "=".repeat(pad));
        v.put("a line break inside", sig.substring(0, 76) + "\n" + sig.substring(76));
        v.put("CRLF inside", sig.substring(0, 64) + "\r\n" + sig.substring(64));
        v.put("a space inside", sig.substring(0, 10) + " " + sig.substring(10));
        v.put("a trailing newline", sig + "\n");
        v.put("leading white space", " " + sig);
        v.put("trailing garbage after the padding", sig + "!!");
        v.put("extra padding", sig + "=");
        v.put("padding and more base64", sig + "AAAA");
        if (sig.contains("+") || sig.contains("/")) {
            v.put("URL-safe alphabet mixed in", sig.replaceFirst("\\+", "-").replaceFirst("/", "_"));
        }
        return v;
    }

    @Test
    void everyLenientSpellingOfAValidSignatureFailsWithAReason() throws Exception {
        for (SigningAlgorithm alg : new SigningAlgorithm[] {SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256,
            SigningAlgorithm.ECDSA_SHA_256}) {
            boolean ec = alg == SigningAlgorithm.ECDSA_SHA_256;
            KmsEventSigner signer = KmsEventSigner.of(emu.provider, ec ? emu.ecKey() : emu.rsaKey(), alg);
            AuditCrypto crypto = AuditCrypto.builder().kms(signer).build();
            AuditEvent sealed = crypto.seal(AuditEvent.parse(EVENT));
            String sig = sealed.text(AuditEvent.SIGNATURE);
            for (int i = 2; !sig.endsWith("="); i++) { // ECDSA's DER length varies; RSA-4096's 512 bytes always pad
                sealed = crypto.seal(AuditEvent.parse(EVENT).with("principalId", "user-" + i));
                sig = sealed.text(AuditEvent.SIGNATURE);
            }
            assertTrue(crypto.verify(sealed).valid(), "the canonical signature verifies");
            byte[] bytes = Base64.getDecoder().decode(sig);

            for (Map.Entry<String, String> e : variants(sig).entrySet()) {
                String what = alg + ", " + e.getKey();
                Verification v = crypto.verify(sealed.with(AuditEvent.SIGNATURE, e.getValue()));
                assertFalse(v.valid(), what + " verified");
                assertTrue(v.reason().contains("standard base64 with padding"), what + ": " + v.reason());
                assertFalse(signer.verify(sealed.text(AuditEvent.HASH), e.getValue(), alg.wireName()), what);
            }
            // The point: a lenient decoder reads the first two as the very same signature.
            assertArrayEquals(bytes, Base64.getDecoder().decode(variants(sig).get("without padding")));
            assertArrayEquals(bytes, Base64.getDecoder().decode(variants(sig).get("non-zero unused bits")));
        }
    }

    @Test
    void theCanonicalEncodingOfAnyLengthIsAcceptedAndNothingElse() {
        for (int n = 1; n <= 7; n++) {
            byte[] bytes = new byte[n];
            java.util.Arrays.fill(bytes, (byte) (0xA5 + n));
            String canonical = Base64.getEncoder().encodeToString(bytes);
            assertArrayEquals(bytes, StrictBase64.decode(canonical), canonical);
        }
        for (String bad : new String[] {"", "Q===", "QQ=", "QQ=A", "QQ==QQ==", "=QQQ", "QUI", "QUJ=", "QUI=\n",
            "QU\u00e9=", "QUI\u0000"}) {
            assertNull(StrictBase64.decode(bad), bad);
            assertNotNull(StrictBase64.problem(bad), bad);
        }
    }
}
