package io.github.infisicaljca.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * {@link EventHasher}'s canonical form written straight to UTF-8 and hashed. Building
 * {@link EventHasher#canonicalString} and encoding it took over five times as long as the SHA-256
 * itself: a String per field, a StringBuilder inflated to UTF-16 by the first non-Latin-1
 * character, a scan for lone surrogates, the encoding, and a {@code MessageDigest.getInstance}
 * on every call.
 *
 * <p>The bytes are exactly {@code canonicalString(event).getBytes(UTF_8)}, which is also its
 * {@link Utf8#encode} as JSON.stringify leaves no lone surrogate; {@code CanonicalWriterTest}
 * holds the two together. One per thread, through {@link #get()}, as it is not thread-safe: a
 * thread that hashes keeps a MessageDigest and a buffer of 1 KiB (up to {@link #RETAINED}).
 */
final class CanonicalWriter {
    private static final ThreadLocal<CanonicalWriter> PER_THREAD = ThreadLocal.withInitial(CanonicalWriter::new);

    /** The buffer a thread keeps at most, so that one huge event does not pin memory to a pooled thread. */
    static final int RETAINED = 16 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int HASH_BYTES = 32;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle INTS_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Per field, {@code name:} ({@code |name:} after the first), and the same with {@code null} after it. */
    private static final byte[][] PREFIX = new byte[EventHasher.FIELDS.size()][];
    private static final byte[][] PREFIX_NULL = new byte[PREFIX.length][];
    /** Room for the longest of those. */
    private static final int PREFIX_ROOM;

    /** How JSON.stringify writes an ASCII code unit: 0 as itself, 'u' as \\u00xx, else a backslash and this. */
    private static final byte[] ESCAPE = new byte[0x80];

    static {
        int room = 0;
        for (int i = 0; i < PREFIX.length; i++) {
            String prefix = (i == 0 ? "" : "|") + EventHasher.FIELDS.get(i) + ":";
            PREFIX[i] = prefix.getBytes(StandardCharsets.US_ASCII);
            PREFIX_NULL[i] = (prefix + "null").getBytes(StandardCharsets.US_ASCII);
            room = Math.max(room, PREFIX_NULL[i].length);
        }
        PREFIX_ROOM = room;
        Arrays.fill(ESCAPE, 0, 0x20, (byte) 'u');
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        ESCAPE['\b'] = 'b';
        ESCAPE['\f'] = 'f';
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
    }

    private final MessageDigest sha256;
    private final byte[] digest = new byte[HASH_BYTES];
    private final byte[] hex = new byte[2 * HASH_BYTES];
    private byte[] buffer = new byte[1024];
    private int length;

    private CanonicalWriter() {
        try {
            sha256 = MessageDigest.getInstance(EventHasher.HASH_ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** This thread's writer. */
    static CanonicalWriter get() {
        return PER_THREAD.get();
    }

    /**
     * Hashes the event; the hash is then in {@link #hex()} until this thread's next call.
     *
     * @throws IllegalArgumentException as {@link EventHasher#canonicalString} does
     */
    CanonicalWriter hash(EventHasher.Fields event) {
        byte[] canonical = write(event);
        try {
            sha256.update(canonical, 0, length);
            sha256.digest(digest, 0, HASH_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // cannot happen: digest has room for SHA-256
        }
        for (int i = 0; i < HASH_BYTES; i += 4) {
            hex8(digest, i, hex, 2 * i);
        }
        return this;
    }

    /** The last hash as 64 lower-case hex digits in ASCII; the array is reused. */
    byte[] hex() {
        return hex;
    }

    String hexString() {
        return new String(hex, StandardCharsets.ISO_8859_1);
    }

    /** A copy of the bytes {@link #hash} digests. */
    byte[] canonicalBytes(AuditEvent event) {
        return Arrays.copyOf(write(event::text), length);
    }

    /** Writes the canonical bytes to the returned array, from 0 to {@link #length}. */
    private byte[] write(EventHasher.Fields event) {
        byte[] out = buffer;
        int p = 0;
        for (int i = 0; i < PREFIX.length; i++) {
            // Reads the fields in order through EventHasher, so a bad event fails as canonicalString does.
            String v = EventHasher.hashedValue(event, i);
            // No code unit takes more than six bytes (\\uXXXX); two quotes more.
            long need = (long) p + PREFIX_ROOM + (v == null ? 0 : 6L * v.length() + 2);
            if (need > out.length) {
                out = grow(out, need);
            }
            byte[] prefix = v == null ? PREFIX_NULL[i] : PREFIX[i];
            System.arraycopy(prefix, 0, out, p, prefix.length);
            p += prefix.length;
            if (v != null) {
                p = stringify(v, out, p);
            }
        }
        length = p;
        return out;
    }

    private byte[] grow(byte[] out, long need) {
        if (need > MAX_ARRAY) {
            throw new OutOfMemoryError("the audit event is too large to hash");
        }
        byte[] bigger = Arrays.copyOf(out, (int) Math.min(Math.max(need, 2L * out.length), MAX_ARRAY));
        if (bigger.length <= RETAINED) {
            buffer = bigger;
        }
        return bigger;
    }

    /** JSON.stringify of {@code s}, in UTF-8, at {@code p}; returns where it ends. */
    static int stringify(String s, byte[] out, int p) {
        int len = s.length();
        out[p++] = '"';
        // Most values are plain ASCII throughout: this loop, with one test a code unit, copies them.
        int i = 0;
        for (; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || ESCAPE[c] != 0) {
                break;
            }
            out[p + i] = (byte) c;
        }
        p += i;
        for (; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte e = ESCAPE[c];
                if (e == 0) {
                    out[p++] = (byte) c;
                } else if (e == 'u') {
                    p = unicodeEscape(c, out, p);
                } else {
                    out[p++] = '\\';
                    out[p++] = e;
                }
            } else if (c < 0x800) {
                out[p++] = (byte) (0xC0 | c >> 6);
                out[p++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                out[p++] = (byte) (0xE0 | c >> 12);
                out[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[p++] = (byte) (0xF0 | cp >> 18);
                out[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[p++] = (byte) (0x80 | cp & 0x3F);
            } else {
                // Lone: a high surrogate without its low one, or a low one without a high one
                // before it (a pair is taken whole by the branch above).
                p = unicodeEscape(c, out, p);
            }
        }
        out[p++] = '"';
        return p;
    }

    private static int unicodeEscape(char c, byte[] out, int p) {
        out[p++] = '\\';
        out[p++] = 'u';
        out[p++] = HEX[c >>> 12];
        out[p++] = HEX[c >>> 8 & 0xF];
        out[p++] = HEX[c >>> 4 & 0xF];
        out[p++] = HEX[c & 0xF];
        return p;
    }

    /** Four bytes as eight lower-case hex digits at once, where a table would take eight lookups. */
    private static void hex8(byte[] in, int from, byte[] out, int at) {
        long v = (int) INTS_BE.get(in, from) & 0xFFFFFFFFL;
        // Spread the eight nibbles over the eight bytes of v, the first (most significant) highest.
        v = (v | v << 16) & 0x0000FFFF0000FFFFL;
        v = (v | v << 8) & 0x00FF00FF00FF00FFL;
        v = (v | v << 4) & 0x0F0F0F0F0F0F0F0FL;
        // Each byte n becomes '0' + n, plus 'a' - '0' - 10 where n > 9 (n + 6 carries into bit 4).
        long letters = (v + 0x0606060606060606L) >>> 4 & 0x0101010101010101L;
        LONGS_BE.set(out, at, v + 0x3030303030303030L + letters * ('a' - '0' - 10));
    }
}
