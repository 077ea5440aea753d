package io.github.infisicaljca.pki;

import io.github.infisicaljca.der.Der;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One subjectAltName entry (RFC 5280 4.2.1.6): a DNS name, an IP address, an email address or
 * a URI. Immutable; the factories check the value, so every instance encodes to a valid
 * GeneralName.
 */
public final class SubjectAltName {
    /** The kinds of entry, each with the prefix {@link #parse} takes (case-insensitive). */
    public enum Type {
        /** dNSName: an ASCII host name, optionally with a leading {@code *.} wildcard label. */
        DNS("DNS", 2),
        /** iPAddress: an IPv4 or IPv6 address. */
        IP("IP", 7),
        /** rfc822Name: an ASCII email address. */
        EMAIL("email", 1),
        /** uniformResourceIdentifier: an absolute ASCII URI. */
        URI("URI", 6);

        private final String prefix;
        private final int tagNumber;

        Type(String prefix, int tagNumber) {
            this.prefix = prefix;
            this.tagNumber = tagNumber;
        }

        /** {@return the prefix of the {@code TYPE:VALUE} form, for example {@code DNS}} */
        public String prefix() {
            return prefix;
        }
    }

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOST = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** Only hex digits, colons and dots, so that InetAddress parses a literal and never resolves a name. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern EMAIL_LOCAL = Pattern.compile("[\\x21-\\x3F\\x41-\\x7E]+"); // printable, no '@'
    private static final int MAX_HOST = 253;

    private final Type type;
    private final String value;
    private final byte[] contents;

    private SubjectAltName(Type type, String value, byte[] contents) {
        this.type = type;
        this.value = value;
        this.contents = contents;
    }

    /**
     * A DNS name such as {@code build.example.com} or {@code *.example.com}.
     *
     * @param name an ASCII host name (internationalised names in their {@code xn--} form)
     * @return the entry
     * @throws IllegalArgumentException if {@code name} is not a host name
     */
    public static SubjectAltName dns(String name) {
        Objects.requireNonNull(name, "name");
        String host = name.startsWith("*.") ? name.substring(2) : name;
        if (name.length() > MAX_HOST || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("DNS name '" + name + "' is not a host name (ASCII letters, digits and"
                    + " hyphens in dot-separated labels of 1 to 63, at most " + MAX_HOST + " in all, optionally"
                    + " after '*.'; an internationalised name in its xn-- form)");
        }
        return new SubjectAltName(Type.DNS, name, ascii(name));
    }

    /**
     * An IP address.
     *
     * @param address the address; an IPv6 scope is not encoded
     * @return the entry
     */
    public static SubjectAltName ip(InetAddress address) {
        Objects.requireNonNull(address, "address");
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return new SubjectAltName(Type.IP, scope < 0 ? text : text.substring(0, scope), address.getAddress());
    }

    /**
     * An IP address from its literal form, never looked up in DNS.
     *
     * @param literal dotted IPv4 ({@code 10.0.0.1}) or IPv6 ({@code 2001:db8::1}, brackets allowed)
     * @return the entry
     * @throws IllegalArgumentException if {@code literal} is not an IP address
     */
    public static SubjectAltName ip(String literal) {
        Objects.requireNonNull(literal, "literal");
        String text = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1)
                : literal;
        boolean v4 = IPV4.matcher(text).matches();
        if (v4 || IPV6.matcher(text).matches()) {
            try {
                InetAddress a = InetAddress.getByName(text);
                // The JDK turns an IPv4-mapped IPv6 literal into an IPv4 address: which the caller meant is unclear.
                if (v4 == (a instanceof Inet4Address) && (v4 || a instanceof Inet6Address)) {
                    return ip(a);
                }
            } catch (UnknownHostException e) {
                // not a literal: the message below
            }
        }
        throw new IllegalArgumentException("IP address '" + literal + "' is not an IPv4 (10.0.0.1) or IPv6"
                + " (2001:db8::1) literal (IPv4-mapped IPv6 addresses: give the IPv4 address)");
    }

    /**
     * An email address.
     *
     * @param address {@code local@domain}, ASCII
     * @return the entry
     * @throws IllegalArgumentException if {@code address} is not an email address
     */
    public static SubjectAltName email(String address) {
        Objects.requireNonNull(address, "address");
        int at = address.indexOf('@');
        if (at <= 0 || !EMAIL_LOCAL.matcher(address.substring(0, at)).matches()
                || address.length() - at - 1 > MAX_HOST || !HOST.matcher(address.substring(at + 1)).matches()) {
            throw new IllegalArgumentException("email address '" + address + "' is not local@domain in ASCII, with"
                    + " one '@' and a host name after it");
        }
        return new SubjectAltName(Type.EMAIL, address, ascii(address));
    }

    /**
     * A URI, which RFC 5280 wants absolute.
     *
     * @param uri an absolute ASCII URI such as {@code https://x.example/}
     * @return the entry
     * @throws IllegalArgumentException if {@code uri} is not an absolute ASCII URI
     */
    public static SubjectAltName uri(String uri) {
        Objects.requireNonNull(uri, "uri");
        String problem;
        try {
            URI u = new URI(uri);
            problem = !u.isAbsolute() ? "it has no scheme" : !uri.equals(u.toASCIIString())
                    ? "it is not ASCII (percent-encode it)" : null;
        } catch (URISyntaxException e) {
            problem = e.getReason() + " at index " + e.getIndex();
        }
        if (problem != null) {
            throw new IllegalArgumentException("URI '" + uri + "' is not an absolute URI: " + problem);
        }
        return new SubjectAltName(Type.URI, uri, ascii(uri));
    }

    /**
     * An entry in the {@code TYPE:VALUE} form of OpenSSL's configuration: {@code DNS:example.com},
     * {@code IP:10.0.0.1}, {@code IP:2001:db8::1}, {@code email:a@b.example},
     * {@code URI:https://x.example/}. The type is case-insensitive.
     *
     * @param entry the entry
     * @return the entry
     * @throws IllegalArgumentException for an unknown type or a bad value, naming which
     */
    public static SubjectAltName parse(String entry) {
        Objects.requireNonNull(entry, "entry");
        int colon = entry.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("subjectAltName '" + entry + "' is not TYPE:VALUE (types: " + types()
                    + ")");
        }
        String prefix = entry.substring(0, colon);
        String value = entry.substring(colon + 1);
        for (Type t : Type.values()) {
            if (t.prefix.equalsIgnoreCase(prefix)) {
                switch (t) {
                    case DNS: return dns(value);
                    case IP: return ip(value);
                    case EMAIL: return email(value);
                    default: return uri(value);
                }
            }
        }
        throw new IllegalArgumentException("unknown subjectAltName type '" + prefix + "' in '" + entry + "' (types: "
                + types() + ")");
    }

    /** {@return the kind of entry} */
    public Type type() {
        return type;
    }

    /** {@return the value as text: the name, address or URI, without the type prefix} */
    public String value() {
        return value;
    }

    /** The DER GeneralName: the value under its context-specific IMPLICIT tag (RFC 5280 4.2.1.6). */
    byte[] encoded() {
        return Der.tlv(0x80 | type.tagNumber, contents);
    }

    /** {@return the entry in {@code TYPE:VALUE} form, which {@link #parse} reads back} */
    @Override
    public String toString() {
        return type.prefix + ":" + value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubjectAltName && ((SubjectAltName) o).type == type
                && Arrays.equals(((SubjectAltName) o).contents, contents);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(contents);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String types() {
        StringBuilder b = new StringBuilder();
        for (Type t : Type.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(t.prefix);
        }
        return b.toString();
    }
}
