package io.github.infisicaljca.conformance;

import io.github.infisicaljca.InfisicalPrivateKey;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compact JWS (RFC 7515) by hand: RS256, PS256 and ES256 (RFC 7518 3.3, 3.5, 3.4). Signing goes
 * through the provider under test; verification uses the JDK's SunRsaSign and SunEC only.
 */
final class Jws {
    /** RFC 7518 3.5: PS256 is MGF1 with SHA-256 and a 32-byte salt. */
    static final PSSParameterSpec PS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]+");

    private Jws() {
    }

    /** The provider's Signature name for a JWS alg. */
    static String providerName(String alg) {
        switch (alg) {
            case "RS256":
                return "SHA256withRSA";
            case "PS256":
                return "SHA256withRSA/PSS";
            case "ES256":
                return "SHA256withECDSA";
            default:
                throw new IllegalArgumentException(alg);
        }
    }

    static String sign(String alg, InfisicalPrivateKey key, Provider provider, String payloadJson)
            throws GeneralSecurityException {
        String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + key.keyId() + "\"}";
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payloadJson.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance(providerName(alg), provider);
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        byte[] sig = s.sign();
        if (alg.equals("ES256")) {
            sig = derToJose(sig, 32); // the provider speaks ASN.1 DER, JOSE wants R || S
        }
        return input + "." + b64(sig);
    }

    /**
     * Verifies a compact JWS with the JDK's providers: the alg comes from the protected header.
     * ES256 is checked twice (the JDK's P1363 form, and converted back to DER), which must agree.
     */
    static boolean verify(String token, PublicKey key) throws GeneralSecurityException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !Arrays.stream(parts).allMatch(p -> PART.matcher(p).matches())) {
            throw new IllegalArgumentException("not a compact JWS with unpadded base64url parts: " + token);
        }
        String alg = headerField(token, "alg");
        byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] sig = DEC.decode(parts[2]);
        switch (alg) {
            case "RS256":
                return jdk("SHA256withRSA", "SunRsaSign", null, key, input, sig);
            case "PS256":
                return jdk("RSASSA-PSS", "SunRsaSign", PS256, key, input, sig);
            case "ES256":
                if (sig.length != 64) {
                    return false;
                }
                boolean p1363 = jdk("SHA256withECDSAinP1363Format", "SunEC", null, key, input, sig);
                boolean der = jdk("SHA256withECDSA", "SunEC", null, key, input, joseToDer(sig));
                if (p1363 != der) {
                    throw new AssertionError("ES256: the P1363 form says " + p1363 + ", the DER form " + der);
                }
                return der;
            default:
                throw new IllegalArgumentException("unsupported alg " + alg);
        }
    }

    private static boolean jdk(String name, String provider, PSSParameterSpec spec, PublicKey key, byte[] input, byte[] sig)
            throws GeneralSecurityException {
        Signature v = Signature.getInstance(name, provider);
        if (spec != null) {
            v.setParameter(spec);
        }
        v.initVerify(key);
        v.update(input);
        try {
            return v.verify(sig);
        } catch (java.security.SignatureException e) {
            return false; // a malformed signature is an invalid one
        }
    }

    static String headerField(String token, String field) {
        String header = new String(DEC.decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + field + " in header " + header);
        }
        return m.group(1);
    }

    static byte[] signatureOf(String token) {
        return DEC.decode(token.substring(token.lastIndexOf('.') + 1));
    }

    /** The same token with one byte of the decoded payload flipped, signature kept. */
    static String flipPayloadByte(String token, int index) {
        String[] parts = token.split("\\.", -1);
        byte[] payload = DEC.decode(parts[1]);
        payload[index % payload.length] ^= 0x01;
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    /** The same token with one byte of the decoded signature flipped. */
    static String flipSignatureByte(String token, int index) {
        String[] parts = token.split("\\.", -1);
        byte[] sig = DEC.decode(parts[2]);
        sig[index % sig.length] ^= 0x01;
        return parts[0] + "." + parts[1] + "." + b64(sig);
    }

    static String b64(byte[] b) {
        return ENC.encodeToString(b);
    }

    /** RFC 7518 3.4: ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } to R || S, each {@code n} bytes. */
    static byte[] derToJose(byte[] der, int n) {
        int[] pos = {0};
        expect(der, pos, 0x30);
        int seqLen = length(der, pos);
        if (pos[0] + seqLen != der.length) {
            throw new IllegalArgumentException("trailing bytes after the ECDSA signature SEQUENCE");
        }
        byte[] out = new byte[2 * n];
        for (int i = 0; i < 2; i++) {
            expect(der, pos, 0x02);
            int len = length(der, pos);
            BigInteger v = new BigInteger(1, Arrays.copyOfRange(der, pos[0], pos[0] + len));
            pos[0] += len;
            byte[] mag = v.toByteArray();
            int skip = mag.length > n ? mag.length - n : 0; // the sign byte
            if (mag.length - skip > n) {
                throw new IllegalArgumentException("an ECDSA integer longer than " + n + " bytes");
            }
            System.arraycopy(mag, skip, out, i * n + n - (mag.length - skip), mag.length - skip);
        }
        return out;
    }

    /** R || S back to DER, minimal INTEGERs (a leading zero only when the high bit is set). */
    static byte[] joseToDer(byte[] jose) {
        int n = jose.length / 2;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 2; i++) {
            byte[] v = new BigInteger(1, Arrays.copyOfRange(jose, i * n, (i + 1) * n)).toByteArray();
            body.write(0x02);
            writeLength(body, v.length);
            body.write(v, 0, v.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.write(body.toByteArray(), 0, body.size());
        return out.toByteArray();
    }

    private static void expect(byte[] der, int[] pos, int tag) {
        if ((der[pos[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("expected DER tag " + tag + " at " + (pos[0] - 1));
        }
    }

    private static int length(byte[] der, int[] pos) {
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    private static void writeLength(ByteArrayOutputStream out, int len) {
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        }
    }
}
