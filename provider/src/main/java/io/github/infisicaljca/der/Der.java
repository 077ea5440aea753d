package io.github.infisicaljca.der;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Just enough DER (X.690) to write an X.509 certificate and a PKCS#10 certification request,
 * plus a reader for one element header. Every method returns a complete encoding (tag, length,
 * contents), so structures are built by nesting calls. There is no public API for this in the
 * JDK, and the provider may not depend on anything but the JDK and Jackson at run time. Public
 * only so that the provider's packages share it: the package is not exported.
 */
public final class Der {
    private static final BigInteger ARC_BASE = BigInteger.valueOf(128);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("uuMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'");

    private Der() {
    }

    public static byte[] sequence(byte[]... elements) {
        return tlv(0x30, concat(elements));
    }

    /** A SET OF: DER (X.690 11.6) wants the encodings in ascending order, so they are sorted. */
    public static byte[] setOf(byte[]... elements) {
        byte[][] sorted = elements.clone();
        Arrays.sort(sorted, Der::compareZeroPadded);
        return tlv(0x31, concat(sorted));
    }

    public static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    public static byte[] integer(BigInteger value) {
        // toByteArray() is already the minimal two's complement form DER asks for.
        return tlv(0x02, value.toByteArray());
    }

    public static byte[] bool(boolean value) {
        return new byte[] {0x01, 0x01, (byte) (value ? 0xFF : 0x00)};
    }

    public static byte[] nul() {
        return new byte[] {0x05, 0x00};
    }

    /** An OBJECT IDENTIFIER from its dotted form, for example {@code 2.5.4.3}. */
    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("an OID needs at least two arcs: '" + dotted + "'");
        }
        BigInteger[] arcs = new BigInteger[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].matches("0|[1-9][0-9]*")) {
                throw new IllegalArgumentException("bad OID arc '" + parts[i] + "' in '" + dotted + "'");
            }
            arcs[i] = new BigInteger(parts[i]);
        }
        int first = arcs[0].intValue();
        if (arcs[0].compareTo(BigInteger.TWO) > 0 || (first < 2 && arcs[1].compareTo(BigInteger.valueOf(40)) >= 0)) {
            throw new IllegalArgumentException("OID '" + dotted + "' has impossible first arcs");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // X.690 8.19.4: the first two arcs share one subidentifier.
        writeBase128(out, arcs[1].add(BigInteger.valueOf(40L * first)));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, arcs[i]);
        }
        return tlv(0x06, out.toByteArray());
    }

    public static byte[] bitString(byte[] bits) {
        return bitString(bits, 0);
    }

    /**
     * A BIT STRING whose last {@code unusedBits} bits are padding. Named bit lists (keyUsage)
     * need this: DER drops trailing zero bits, and the padding bits must themselves be zero.
     */
    public static byte[] bitString(byte[] bits, int unusedBits) {
        if (unusedBits < 0 || unusedBits > 7 || (bits.length == 0 && unusedBits != 0)) {
            throw new IllegalArgumentException("bad unused bit count " + unusedBits + " for " + bits.length + " bytes");
        }
        if (bits.length > 0 && (bits[bits.length - 1] & ((1 << unusedBits) - 1)) != 0) {
            throw new IllegalArgumentException("the " + unusedBits + " unused bits must be zero in DER");
        }
        byte[] contents = new byte[bits.length + 1];
        contents[0] = (byte) unusedBits;
        System.arraycopy(bits, 0, contents, 1, bits.length);
        return tlv(0x03, contents);
    }

    public static byte[] octetString(byte[] bytes) {
        return tlv(0x04, bytes);
    }

    public static byte[] utf8String(String text) {
        try {
            // A strict encoder: getBytes() would quietly turn a lone surrogate into '?'.
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return tlv(0x0C, bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text is not valid Unicode (lone surrogate?)", e);
        }
    }

    /**
     * A certificate validity time as RFC 5280 4.1.2.5 wants it: UTCTime for 1950 to 2049,
     * GeneralizedTime otherwise, always in UTC with whole seconds.
     */
    public static byte[] time(Instant instant) {
        if (instant.getNano() != 0) {
            throw new IllegalArgumentException("certificate times have whole seconds only: " + instant);
        }
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year " + year + " does not fit a GeneralizedTime");
        }
        boolean utcTime = year >= 1950 && year <= 2049;
        String text = (utcTime ? UTC_TIME : GENERALIZED_TIME).format(utc);
        return tlv(utcTime ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A context-specific constructed EXPLICIT tag, such as the certificate's [0] version and [3] extensions. */
    public static byte[] explicit(int tagNumber, byte[] inner) {
        if (tagNumber < 0 || tagNumber > 30) {
            throw new IllegalArgumentException("tag number " + tagNumber + " needs the multi-byte form");
        }
        return tlv(0xA0 | tagNumber, inner);
    }

    public static byte[] tlv(int tag, byte[] contents) {
        byte[] length = length(contents.length);
        byte[] out = new byte[1 + length.length + contents.length];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(contents, 0, out, 1 + length.length, contents.length);
        return out;
    }

    /** Definite length: one byte below 128, else 0x80 + count followed by the minimal big-endian bytes. */
    static byte[] length(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int count = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[1 + count];
        out[0] = (byte) (0x80 | count);
        for (int i = count; i >= 1; i--, length >>>= 8) {
            out[i] = (byte) length;
        }
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * One element's header in {@code der} at {@code offset}: where its contents start and how
     * long they are. Only single-byte tags and definite lengths, which is all DER allows here.
     */
    public record Element(int tag, int start, int length) {
        public int end() {
            return start + length;
        }

        public static Element read(byte[] der, int offset) {
            if (offset < 0 || offset + 2 > der.length) {
                throw new IllegalArgumentException("DER truncated at offset " + offset);
            }
            int tag = der[offset] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("multi-byte DER tag at offset " + offset);
            }
            int first = der[offset + 1] & 0xFF;
            int start = offset + 2;
            long length = first;
            if (first > 0x80) {
                int count = first & 0x7F;
                if (count > 4 || start + count > der.length) {
                    throw new IllegalArgumentException("bad DER length at offset " + offset);
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[start++] & 0xFF);
                }
            } else if (first == 0x80) {
                throw new IllegalArgumentException("indefinite length is not DER (offset " + offset + ")");
            }
            if (length > der.length - start) {
                throw new IllegalArgumentException("DER element at offset " + offset + " runs past the end");
            }
            return new Element(tag, start, (int) length);
        }
    }

    private static void writeBase128(ByteArrayOutputStream out, BigInteger value) {
        // Big-endian 7-bit groups, the high bit set on all but the last.
        int groups = Math.max(1, (value.bitLength() + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int group = value.shiftRight(7 * i).mod(ARC_BASE).intValue();
            out.write(i == 0 ? group : group | 0x80);
        }
    }

    private static int compareZeroPadded(byte[] a, byte[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] & 0xFF : 0;
            int y = i < b.length ? b[i] & 0xFF : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
