package io.github.infisicaljca.der;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known-answer encodings from X.690 and RFC 5280, and BouncyCastle's DER encoder as an
 * independent reference wherever it has the same type.
 */
class DerTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static byte[] bc(ASN1Encodable value) throws IOException {
        return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    }

    @ParameterizedTest
    @CsvSource({"0, 0400", "1, 0401", "127, 047F", "128, 048180", "255, 0481FF", "256, 04820100",
        "65535, 0482FFFF", "65536, 0483010000", "16777216, 048401000000"})
    void lengthsUseShortFormBelow128AndMinimalLongFormAbove(int length, String header) throws IOException {
        byte[] encoded = Der.octetString(new byte[length]);
        assertEquals(header, hex(Arrays.copyOf(encoded, header.length() / 2)));
        assertEquals(header.length() / 2 + length, encoded.length);
        assertArrayEquals(bc(new DEROctetString(new byte[length])), encoded);
    }

    @Test
    void lengthsAgreeWithBouncyCastleAcrossTheFormBoundaries() throws IOException {
        for (int length = 0; length < 70_000; length += (length < 300 ? 1 : 997)) {
            byte[] contents = new byte[length];
            assertArrayEquals(bc(new DEROctetString(contents)), Der.octetString(contents), "length " + length);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 020100", "1, 020101", "127, 02017F", "128, 02020080", "255, 020200FF", "256, 02020100",
        "-1, 0201FF", "-128, 020180", "-129, 0202FF7F", "-256, 0202FF00", "-257, 0202FEFF",
        "9223372036854775807, 02087FFFFFFFFFFFFFFF", "-9223372036854775808, 02088000000000000000"})
    void integersAreMinimalTwosComplement(long value, String expected) throws IOException {
        assertEquals(expected, hex(Der.integer(value)));
        assertEquals(expected, hex(Der.integer(BigInteger.valueOf(value))));
        assertArrayEquals(bc(new ASN1Integer(value)), Der.integer(value));
    }

    @Test
    void bigIntegersBeyondALong() throws IOException {
        assertEquals("0209010000000000000000", hex(Der.integer(BigInteger.ONE.shiftLeft(64))));
        assertEquals("020900FFFFFFFFFFFFFFFF", hex(Der.integer(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))));
        assertEquals("0209FF0000000000000000", hex(Der.integer(BigInteger.ONE.shiftLeft(64).negate())));
        Random random = new Random(20240601);
        for (int i = 0; i < 500; i++) {
            BigInteger value = new BigInteger(1 + random.nextInt(1200), random);
            if (random.nextBoolean()) {
                value = value.negate();
            }
            assertArrayEquals(bc(new ASN1Integer(value)), Der.integer(value), value.toString(16));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "1.2.840.113549.1.1.11, 06092A864886F70D01010B",
        "2.5.4.3, 0603550403",
        "1.2.840.10045.4.3.2, 06082A8648CE3D040302",
        "2.5.29.15, 0603551D0F",
        "0.0, 060100",
        "1.39, 06014F",
        "2.999.3, 0603883703", // the first subidentifier (1079) itself needs two bytes
        "1.3.6.1.4.1.311.21.20, 06092B0601040182371514"})
    void objectIdentifiers(String dotted, String expected) throws IOException {
        assertEquals(expected, hex(Der.oid(dotted)));
        assertArrayEquals(bc(new ASN1ObjectIdentifier(dotted)), Der.oid(dotted));
    }

    @Test
    void objectIdentifierArcsLargerThanALong() throws IOException {
        String uuidOid = "2.25.329800735698586629295641978511506172918"; // RFC 4122's example UUID OID
        assertArrayEquals(bc(new ASN1ObjectIdentifier(uuidOid)), Der.oid(uuidOid));
        assertArrayEquals(bc(new ASN1ObjectIdentifier("1.2.18446744073709551616")), Der.oid("1.2.18446744073709551616"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "3.1", "0.40", "1.40", "1..2", "1.2.", ".1.2", "1.02", "1.-2", "1.a", "1.2 "})
    void malformedObjectIdentifiersAreRejected(String dotted) {
        assertThrows(IllegalArgumentException.class, () -> Der.oid(dotted));
    }

    @Test
    void nullAndBooleans() throws IOException {
        assertEquals("0500", hex(Der.nul()));
        assertEquals("0101FF", hex(Der.bool(true)));
        assertEquals("010100", hex(Der.bool(false)));
        assertArrayEquals(bc(org.bouncycastle.asn1.ASN1Boolean.TRUE), Der.bool(true));
        assertArrayEquals(bc(org.bouncycastle.asn1.DERNull.INSTANCE), Der.nul());
    }

    @Test
    void bitStrings() throws IOException {
        assertEquals("030100", hex(Der.bitString(new byte[0])));
        assertEquals("0303000102", hex(Der.bitString(new byte[] {1, 2})));
        assertArrayEquals(bc(new DERBitString(new byte[] {1, 2})), Der.bitString(new byte[] {1, 2}));
        // keyUsage digitalSignature: one named bit, so seven unused bits (RFC 5280 4.2.1.3, X.690 11.2.2).
        assertEquals("03020780", hex(Der.bitString(new byte[] {(byte) 0x80}, 7)));
        assertArrayEquals(bc(new KeyUsage(KeyUsage.digitalSignature)), Der.bitString(new byte[] {(byte) 0x80}, 7));
        assertArrayEquals(bc(new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                Der.bitString(new byte[] {0x06}, 1));
    }

    @Test
    void bitStringPaddingMustBeZeroAndInRange() {
        assertThrows(IllegalArgumentException.class, () -> Der.bitString(new byte[] {(byte) 0x81}, 7));
        assertThrows(IllegalArgumentException.class, () -> Der.bitString(new byte[] {0}, 8));
        assertThrows(IllegalArgumentException.class, () -> Der.bitString(new byte[] {0}, -1));
        assertThrows(IllegalArgumentException.class, () -> Der.bitString(new byte[0], 1));
    }

    @Test
    void utf8Strings() throws IOException {
        assertEquals("0C02434E", hex(Der.utf8String("CN")));
        assertEquals("0C00", hex(Der.utf8String("")));
        assertEquals("0C05C3A9E29883", hex(Der.utf8String("é\u2603")));
        for (String s : new String[] {"infisical key", "Zoë ключ 鍵 \uD83D\uDD11", "x".repeat(200)}) {
            assertArrayEquals(bc(new DERUTF8String(s)), Der.utf8String(s), s);
        }
        assertThrows(IllegalArgumentException.class, () -> Der.utf8String("lone \uD800 surrogate"));
    }

    @ParameterizedTest
    @CsvSource({
        "1950-01-01T00:00:00Z, 17, 500101000000Z",
        "1999-12-31T23:59:59Z, 17, 991231235959Z",
        "2000-01-01T00:00:00Z, 17, 000101000000Z",
        "2049-12-31T23:59:59Z, 17, 491231235959Z",
        "2050-01-01T00:00:00Z, 18, 20500101000000Z",
        "1949-12-31T23:59:59Z, 18, 19491231235959Z",
        "9999-12-31T23:59:59Z, 18, 99991231235959Z",
        "0001-01-01T00:00:00Z, 18, 00010101000000Z",
        "0000-06-15T12:00:00Z, 18, 00000615120000Z"})
    void timesPickUtcTimeOnlyFor1950To2049(String instant, String tag, String text) throws IOException {
        byte[] encoded = Der.time(Instant.parse(instant));
        String expected = tag + HEX.formatHex(new byte[] {(byte) text.length()})
                + hex(text.getBytes(StandardCharsets.US_ASCII));
        assertEquals(expected, hex(encoded));
        if (Instant.parse(instant).isAfter(Instant.parse("1900-01-01T00:00:00Z"))) {
            // BouncyCastle's x509.Time makes the same RFC 5280 choice (via java.util.Date, so
            // only where Date's Julian/Gregorian calendar agrees with java.time).
            assertArrayEquals(bc(new Time(Date.from(Instant.parse(instant)))), encoded);
        }
    }

    @Test
    void timesRejectFractionsAndYearsAGeneralizedTimeCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Der.time(Instant.parse("2030-01-01T00:00:00.5Z")));
        assertThrows(IllegalArgumentException.class, () -> Der.time(Instant.parse("+10000-01-01T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> Der.time(Instant.parse("-0001-01-01T00:00:00Z")));
    }

    @Test
    void sequencesAndSets() throws IOException {
        assertEquals("3000", hex(Der.sequence()));
        assertEquals("3005050002012A", hex(Der.sequence(Der.nul(), Der.integer(42))));
        // DER sorts a SET OF by encoding, whatever order the elements came in.
        assertEquals("3106020101020102", hex(Der.setOf(Der.integer(2), Der.integer(1))));
        ASN1Encodable[] items = {new ASN1Integer(300), new DERUTF8String("b"), new ASN1Integer(1), new DEROctetString(new byte[3])};
        assertArrayEquals(bc(new DERSet(items)), Der.setOf(Der.integer(300), Der.utf8String("b"), Der.integer(1),
                Der.octetString(new byte[3])));
        byte[] big = Der.sequence(Der.octetString(new byte[300]));
        assertEquals("308201300482012C", hex(Arrays.copyOf(big, 8)));
    }

    @Test
    void explicitContextTags() throws IOException {
        assertEquals("A003020102", hex(Der.explicit(0, Der.integer(2))));
        assertEquals("A3023000", hex(Der.explicit(3, Der.sequence())));
        assertArrayEquals(bc(new DERTaggedObject(true, 3, new DEROctetString(new byte[200]))),
                Der.explicit(3, Der.octetString(new byte[200])));
        assertThrows(IllegalArgumentException.class, () -> Der.explicit(31, Der.nul()));
    }

    @Test
    void readerFindsHeadersInShortAndLongForm() {
        byte[] seq = Der.sequence(Der.octetString(new byte[70_000]), Der.nul());
        Der.Element outer = Der.Element.read(seq, 0);
        assertEquals(new Der.Element(0x30, 5, 70_007), outer); // 30 83 01 11 77
        Der.Element octets = Der.Element.read(seq, outer.start());
        assertEquals(new Der.Element(0x04, 10, 70_000), octets); // 04 83 01 11 70
        assertEquals(new Der.Element(0x05, octets.end() + 2, 0), Der.Element.read(seq, octets.end()));
        assertEquals(seq.length, Der.Element.read(seq, octets.end()).end());
    }

    @Test
    void readerRejectsTruncatedAndIndefiniteInput() {
        byte[] seq = Der.sequence(Der.octetString(new byte[300]));
        assertThrows(IllegalArgumentException.class, () -> Der.Element.read(Arrays.copyOf(seq, seq.length - 1), 0));
        assertThrows(IllegalArgumentException.class, () -> Der.Element.read(new byte[] {0x30, (byte) 0x82, 0x01}, 0));
        assertThrows(IllegalArgumentException.class, () -> Der.Element.read(new byte[] {0x30, (byte) 0x80, 0, 0}, 0));
        assertThrows(IllegalArgumentException.class, () -> Der.Element.read(new byte[] {0x30}, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Der.Element.read(new byte[] {0x30, (byte) 0x85, 1, 0, 0, 0, 0}, 0));
    }

    @Test
    void wholeStructuresMatchBouncyCastle() throws IOException {
        // An AlgorithmIdentifier and an RDN, the way the certificate uses them.
        byte[] ours = Der.sequence(Der.setOf(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String("kms key"))));
        byte[] theirs = bc(new org.bouncycastle.asn1.x500.X500Name("CN=kms key"));
        assertArrayEquals(theirs, ours);
        ASN1Primitive parsed = ASN1Primitive.fromByteArray(Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nul()));
        assertEquals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.sha256WithRSAEncryption,
                org.bouncycastle.asn1.x509.AlgorithmIdentifier.getInstance(parsed).getAlgorithm());
    }
}
