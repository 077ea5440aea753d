package io.github.infisicaljca.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TYPE:VALUE entries, their GeneralName encodings (BouncyCastle as the reference) and the refusals. */
class SubjectAltNameTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DNS:build.example.com      | DNS   | build.example.com   | 2 | build.example.com",
        "dns:*.example.com          | DNS   | *.example.com       | 2 | *.example.com",
        "DNS:xn--bcher-kva.example  | DNS   | xn--bcher-kva.example | 2 | xn--bcher-kva.example",
        "IP:10.0.0.1                | IP    | 10.0.0.1            | 7 | 10.0.0.1",
        "ip:2001:db8::1             | IP    | 2001:db8:0:0:0:0:0:1 | 7 | 2001:db8::1",
        "IP:[::1]                   | IP    | 0:0:0:0:0:0:0:1     | 7 | ::1",
        "email:a@b.example          | EMAIL | a@b.example         | 1 | a@b.example",
        "EMAIL:first.last+tag@x.example | EMAIL | first.last+tag@x.example | 1 | first.last+tag@x.example",
        "URI:https://x.example/     | URI   | https://x.example/  | 6 | https://x.example/",
        "uri:spiffe://example.org/ns/ci | URI | spiffe://example.org/ns/ci | 6 | spiffe://example.org/ns/ci",
    })
    void parsesAndEncodesAsBouncyCastleDoes(String entry, SubjectAltName.Type type, String value, int tag,
            String bcValue) throws Exception {
        SubjectAltName san = SubjectAltName.parse(entry);
        assertEquals(type, san.type());
        assertEquals(value, san.value());
        assertArrayEquals(new GeneralName(tag, bcValue).getEncoded("DER"), san.encoded());
        assertEquals(san, SubjectAltName.parse(san.toString()), "toString reads back");
        assertEquals(san.hashCode(), SubjectAltName.parse(san.toString()).hashCode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com               | not TYPE:VALUE",
        ":example.com              | not TYPE:VALUE",
        "otherName:x               | unknown subjectAltName type 'otherName'",
        "RID:1.2.3                 | unknown subjectAltName type 'RID'",
        "DNS:                      | DNS name '' is not a host name",
        "DNS:exa mple.com          | DNS name 'exa mple.com' is not a host name",
        "DNS:-a.example            | is not a host name",
        "DNS:a..example            | is not a host name",
        "DNS:a.*.example           | is not a host name",
        "DNS:bücher.example        | xn-- form",
        "IP:10.0.0.256             | IP address '10.0.0.256' is not an IPv4",
        "IP:1.2.3                  | is not an IPv4",
        "IP:localhost              | is not an IPv4",
        "IP:example.com            | is not an IPv4",
        "IP:2001:db8::g            | is not an IPv4",
        "IP:1:2:3:4:5:6:7:8:9      | is not an IPv4",
        "IP:::ffff:10.0.0.1        | give the IPv4 address",
        "email:ab.example          | email address 'ab.example' is not local@domain",
        "email:a@@b.example        | is not local@domain",
        "email:@b.example          | is not local@domain",
        "email:a b@b.example       | is not local@domain",
        "URI:relative/path         | URI 'relative/path' is not an absolute URI: it has no scheme",
        "URI:https://x.example/a b | is not an absolute URI",
        "URI:https://ü.example/    | it is not ASCII",
    })
    void refusesWithAMessageNamingTheProblem(String entry, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SubjectAltName.parse(entry));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 4", "::1, 16", "fe80::1, 16"})
    void anInetAddressEncodesItsBytes(String literal, int length) throws Exception {
        InetAddress a = InetAddress.getByName(literal);
        SubjectAltName san = SubjectAltName.ip(a);
        assertEquals(length + 2, san.encoded().length);
        assertArrayEquals(a.getAddress(), java.util.Arrays.copyOfRange(san.encoded(), 2, san.encoded().length));
        assertEquals(san, SubjectAltName.ip(literal));
    }
}
