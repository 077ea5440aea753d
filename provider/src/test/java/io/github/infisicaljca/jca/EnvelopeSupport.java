package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.infisicaljca.EnvelopeParameterSpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Provider;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import javax.crypto.Cipher;

/**
 * What the envelope tests share, written from docs/envelope-format.md (not from the main code):
 * the header's layout and message lengths, seeded data, one-shot encryption and decryption,
 * and the count of remote calls the emulator saw.
 */
final class EnvelopeSupport {
    static final String ALGORITHM = "INFISICAL-ENVELOPE";
    static final int DEFAULT_SEGMENT = 1 << 16;
    static final int TAG = 16;
    /** magic 4, version 1, seg_exp 1, key_id 16, L 2. */
    static final int FIXED = 24;
    static final int OFF_VERSION = 4;
    static final int OFF_SEG_EXP = 5;
    static final int OFF_KEY_ID = 6;
    static final int OFF_L = 22;
    static final int OFF_WRAPPED = 24;

    private EnvelopeSupport() {
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static EnvelopeParameterSpec segments(int size) {
        return EnvelopeParameterSpec.builder().segmentSize(size).build();
    }

    /** L: the wrapped key's length, an unsigned 16-bit integer at offset 22. */
    static int wrappedLength(byte[] msg) {
        return ((msg[OFF_L] & 0xff) << 8) | (msg[OFF_L + 1] & 0xff);
    }

    /** The whole header: 24 + L + 16 (salt) + 7 (prefix). */
    static int headerLength(byte[] msg) {
        return FIXED + wrappedLength(msg) + 16 + 7;
    }

    static int offSalt(byte[] msg) {
        return OFF_WRAPPED + wrappedLength(msg);
    }

    static int offPrefix(byte[] msg) {
        return offSalt(msg) + 16;
    }

    static byte[] wrapped(byte[] msg) {
        return Arrays.copyOfRange(msg, OFF_WRAPPED, OFF_WRAPPED + wrappedLength(msg));
    }

    static byte[] salt(byte[] msg) {
        return Arrays.copyOfRange(msg, offSalt(msg), offSalt(msg) + 16);
    }

    static byte[] prefix(byte[] msg) {
        return Arrays.copyOfRange(msg, offPrefix(msg), offPrefix(msg) + 7);
    }

    static UUID keyId(byte[] msg) {
        ByteBuffer b = ByteBuffer.wrap(msg, OFF_KEY_ID, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    /** Segments of a message: at least one, the last holding 0 to S bytes. */
    static long segmentCount(long plaintext, int segmentSize) {
        return plaintext == 0 ? 1 : (plaintext + segmentSize - 1) / segmentSize;
    }

    static long messageLength(int headerLength, long plaintext, int segmentSize) {
        return headerLength + plaintext + TAG * segmentCount(plaintext, segmentSize);
    }

    /** Where segment {@code i} starts on the wire. */
    static int segmentOffset(byte[] msg, int segmentSize, int i) {
        return headerLength(msg) + i * (segmentSize + TAG);
    }

    static byte[] encrypt(Provider p, Key key, EnvelopeParameterSpec spec, byte[] aad, byte[] data)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(ALGORITHM, p);
        c.init(Cipher.ENCRYPT_MODE, key, spec);
        if (aad != null) {
            c.updateAAD(aad);
        }
        return c.doFinal(data);
    }

    static byte[] decrypt(Provider p, Key key, byte[] aad, byte[] msg) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(ALGORITHM, p);
        c.init(Cipher.DECRYPT_MODE, key);
        if (aad != null) {
            c.updateAAD(aad);
        }
        return c.doFinal(msg);
    }

    /** POST requests whose path ends with {@code /encrypt} or {@code /decrypt}. */
    static int calls(EmulatorFixture f, String operation) {
        return f.requests("POST", "/" + operation).size();
    }

    static void assertCalls(EmulatorFixture f, int encrypts, int decrypts, String context) {
        assertEquals(encrypts, calls(f, "encrypt"), "encrypt calls: " + context);
        assertEquals(decrypts, calls(f, "decrypt"), "decrypt calls: " + context);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
