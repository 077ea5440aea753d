package io.github.infisicaljca.jca;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code INFISICAL-ENVELOPE} v1 format (docs/envelope-format.md has the full text).
 *
 * <pre>
 * header  = "INFE" | version 0x01 | log2(segment size) | key id (16) | L (u16) | wrapped data key (L)
 *           | salt (16) | nonce prefix (7)
 * body    = segment 0 .. segment n-1, each AES-256-GCM(ct) || tag (16); every segment but the last
 *           holds exactly S plaintext bytes, the last 0..S (there is always one)
 * key     = HMAC-SHA256(data key, "infisical-envelope/v1 key" || salt)
 * nonce_i = nonce prefix | u32 i | 0x01 for the last segment, else 0x00
 * aad     = SHA-256("infisical-envelope/v1 aad" || header || u64 len(user AAD) || user AAD), for every segment
 * </pre>
 */
final class EnvelopeFormat {
    static final byte[] MAGIC = {'I', 'N', 'F', 'E'};
    static final int VERSION = 1;
    static final int TAG = 16;
    static final int SALT = 16;
    static final int PREFIX = 7;
    /** Header bytes before the wrapped key: magic, version, segment exponent, key id, L. */
    static final int FIXED = 4 + 1 + 1 + 16 + 2;
    static final int DATA_KEY = 32;
    static final long MAX_SEGMENTS = 1L << 32;
    private static final byte[] KEY_LABEL = "infisical-envelope/v1 key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD_LABEL = "infisical-envelope/v1 aad".getBytes(StandardCharsets.US_ASCII);

    private EnvelopeFormat() {
    }

    /** A parsed header. */
    record Header(byte[] encoded, int segmentSize, UUID keyId, byte[] wrappedKey, byte[] salt, byte[] noncePrefix) {
    }

    static byte[] header(int segmentSize, UUID keyId, byte[] wrappedKey, byte[] salt, byte[] prefix) {
        ByteBuffer b = ByteBuffer.allocate(FIXED + wrappedKey.length + SALT + PREFIX);
        b.put(MAGIC).put((byte) VERSION).put((byte) Integer.numberOfTrailingZeros(segmentSize))
                .putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits())
                .putShort((short) wrappedKey.length).put(wrappedKey).put(salt).put(prefix);
        return b.array();
    }

    /** The whole header's length once its first {@link #FIXED} bytes are known. */
    static int headerLength(byte[] fixed) {
        return FIXED + (((fixed[FIXED - 2] & 0xff) << 8) | (fixed[FIXED - 1] & 0xff)) + SALT + PREFIX;
    }

    /** Checks the fixed part early, so garbage is refused before any remote call. */
    static void checkFixed(byte[] fixed) throws AEADBadTagException {
        for (int i = 0; i < MAGIC.length; i++) {
            if (fixed[i] != MAGIC[i]) {
                throw new AEADBadTagException("not an INFISICAL-ENVELOPE message (bad magic)");
            }
        }
        if (fixed[4] != VERSION) {
            throw new AEADBadTagException("unsupported INFISICAL-ENVELOPE version " + (fixed[4] & 0xff));
        }
        int exp = fixed[5];
        if (exp < 12 || exp > 24) {
            throw new AEADBadTagException("invalid INFISICAL-ENVELOPE segment size 2^" + exp);
        }
        if (headerLength(fixed) == FIXED + SALT + PREFIX) {
            throw new AEADBadTagException("INFISICAL-ENVELOPE header has an empty wrapped key");
        }
    }

    static Header parse(byte[] encoded) {
        ByteBuffer b = ByteBuffer.wrap(encoded);
        b.position(5);
        int segmentSize = 1 << b.get();
        UUID keyId = new UUID(b.getLong(), b.getLong());
        byte[] wrapped = new byte[b.getShort() & 0xffff];
        b.get(wrapped);
        byte[] salt = new byte[SALT];
        b.get(salt);
        byte[] prefix = new byte[PREFIX];
        b.get(prefix);
        return new Header(encoded, segmentSize, keyId, wrapped, salt, prefix);
    }

    static SecretKeySpec messageKey(byte[] dataKey, byte[] salt) throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(dataKey, "HmacSHA256"));
        hmac.update(KEY_LABEL);
        return new SecretKeySpec(hmac.doFinal(salt), "AES");
    }

    static byte[] aad(byte[] header, byte[] userAad) throws GeneralSecurityException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(AAD_LABEL);
        sha.update(header);
        sha.update(ByteBuffer.allocate(8).putLong(userAad.length).array());
        sha.update(userAad);
        return sha.digest();
    }

    static byte[] nonce(byte[] prefix, long index, boolean last) {
        return ByteBuffer.allocate(12).put(prefix).putInt((int) index).put((byte) (last ? 1 : 0)).array();
    }
}
