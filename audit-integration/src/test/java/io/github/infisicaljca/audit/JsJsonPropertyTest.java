package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.Secret;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link JsJson#stringify} against an independent reading of ECMA-262 QuoteJSONString, and
 * {@link Utf8#encode} against Node's {@code Buffer.from(s, "utf8")}, over random strings.
 */
class JsJsonPropertyTest {
    private static final long SEED = 0x5EED_A0D17L;
    private static final int CASES = 20_000;

    // ---- The reference: QuoteJSONString (ECMA-262 §25.5.2.3), code point by code point. ----

    /** What each code point below U+0080 becomes (Table 73 first, then the < U+0020 rule). */
    private static final String[] ASCII = new String[0x80];

    static {
        for (int cp = 0; cp < 0x80; cp++) {
            ASCII[cp] = cp < 0x20 ? String.format("\\u%04x", cp) : String.valueOf((char) cp);
        }
        ASCII[0x08] = "\\b";
        ASCII[0x09] = "\\t";
        ASCII[0x0A] = "\\n";
        ASCII[0x0C] = "\\f";
        ASCII[0x0D] = "\\r";
        ASCII['"'] = "\\\"";
        ASCII['\\'] = "\\\\";
    }

    /**
     * StringToCodePoints pairs surrogates; a surrogate code point left over is a lone one and
     * is written with UnicodeEscape; everything else is written as itself (UTF16EncodeCodePoint).
     */
    static String quoteJsonString(String s) {
        StringBuilder r = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                r.append(ASCII[cp]);
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                r.append(String.format("\\u%04x", cp));
            } else {
                r.appendCodePoint(cp);
            }
        });
        return r.append('"').toString();
    }

    /** Node's UTF-8: code points as 1-4 bytes, a lone surrogate as U+FFFD (EF BF BD). */
    static byte[] nodeUtf8(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.codePoints().map(cp -> cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp).forEach(cp -> {
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        });
        return out.toByteArray();
    }

    // ---- Random strings weighted towards what is hard. ----

    private static final char[] SPECIAL = {'"', '\\', '/', '\u007f', '\u2028', '\u2029', '\u0085', '\u00a0', '\ufeff',
        '\ufffd', '\uffff', '\u0000', '\u001f', '\b', '\f', '\n', '\r', '\t', '\u000b'};

    static String randomString(Random rnd) {
        int len = rnd.nextInt(24);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            switch (rnd.nextInt(11)) {
                case 0 -> sb.append((char) rnd.nextInt(0x20));                      // C0 control
                case 1 -> sb.append(SPECIAL[rnd.nextInt(SPECIAL.length)]);
                case 2 -> sb.append((char) (0x20 + rnd.nextInt(0x5F)));              // printable ASCII
                case 3 -> sb.appendCodePoint(0x1F300 + rnd.nextInt(0x300));         // emoji, a pair
                case 4 -> sb.appendCodePoint(0x10000 + rnd.nextInt(0x100000));      // any supplementary
                case 5 -> sb.append((char) (0xD800 + rnd.nextInt(0x400)));           // high surrogate
                case 6 -> sb.append((char) (0xDC00 + rnd.nextInt(0x400)));           // low surrogate
                case 7 -> sb.append((char) (0xDC00 + rnd.nextInt(0x400))).append((char) (0xD800 + rnd.nextInt(0x400)));
                case 8 -> sb.append((char) (0x80 + rnd.nextInt(0xD800 - 0x80)));     // BMP below surrogates
                case 9 -> sb.append((char) (0xE000 + rnd.nextInt(0x2000)));          // BMP above surrogates
                default -> sb.append((char) rnd.nextInt(0x10000));                   // any code unit
            }
        }
        return sb.toString();
    }

    private static String describe(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(String.format("%04X ", c)));
        return sb.toString().trim();
    }

    @Test
    void stringifyAgreesWithQuoteJsonStringOnRandomStrings() {
        Random rnd = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            String s = randomString(rnd);
            assertEquals(quoteJsonString(s), JsJson.stringify(s), "case " + i + ": " + describe(s));
        }
    }

    @Test
    void loneSurrogatesAtStartMiddleAndEnd() {
        Random rnd = new Random(SEED + 1);
        char[] lone = {'\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00'};
        for (int i = 0; i < 2_000; i++) {
            String base = randomString(rnd);
            char u = lone[rnd.nextInt(lone.length)];
            int mid = base.isEmpty() ? 0 : rnd.nextInt(base.length() + 1);
            for (String s : new String[] {u + base, base + u, base.substring(0, mid) + u + base.substring(mid),
                String.valueOf(u), "x" + u + "y", u + "" + u}) {
                assertEquals(quoteJsonString(s), JsJson.stringify(s), describe(s));
                assertArrayEquals(nodeUtf8(s), Utf8.encode(s), describe(s));
            }
        }
    }

    @Test
    void everySingleCodeUnit() {
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = String.valueOf((char) c);
            assertEquals(quoteJsonString(s), JsJson.stringify(s), describe(s));
            assertArrayEquals(nodeUtf8(s), Utf8.encode(s), describe(s));
        }
    }

    @Test
    void withoutLoneSurrogatesTheOutputParsesBackToTheInput() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Random rnd = new Random(SEED + 2);
        for (int i = 0; i < CASES; i++) {
            String s = randomString(rnd);
            if (s.codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)) {
                continue;
            }
            assertEquals(s, json.readValue(JsJson.stringify(s), String.class), describe(s));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "''                    | '\"\"'",
        "'a'                   | '\"a\"'",
        "'\\u0001'             | '\"\\\\u0001\"'",
        "'\\u0000'             | '\"\\\\u0000\"'",
        "'\\u001f'             | '\"\\\\u001f\"'",
        "'\\u001F\\u000b'      | '\"\\\\u001f\\\\u000b\"'",
        "'\\u007f'             | '\"\\u007f\"'",
        "'\\u2028\\u2029'      | '\"\\u2028\\u2029\"'",
        "'\\uD800'             | '\"\\\\ud800\"'",
        "'a\\uDC00'            | '\"a\\\\udc00\"'",
        "'\\uDBFFz'            | '\"\\\\udbffz\"'",
        "'\\uDC00\\uD800'      | '\"\\\\udc00\\\\ud800\"'",
        "'\\uD800\\uD800\\uDC00' | '\"\\\\ud800\\uD800\\uDC00\"'",
        "'\\uD83D\\uDE00'      | '\"\\uD83D\\uDE00\"'",
        "'\\b\\f\\n\\r\\t'     | '\"\\\\b\\\\f\\\\n\\\\r\\\\t\"'",
        "'\"'                  | '\"\\\\\\\"\"'",
        "'\\\\'                | '\"\\\\\\\\\"'",
        "'</script>'           | '\"</script>\"'",
        "'Zürich 한국어'        | '\"Zürich 한국어\"'",
    })
    void exactCases(String javaEscapedInput, String javaEscapedExpected) {
        String in = unescape(javaEscapedInput);
        String expected = unescape(javaEscapedExpected);
        assertEquals(expected, JsJson.stringify(in), describe(in));
        assertEquals(expected, quoteJsonString(in), "the reference itself: " + describe(in));
    }

    @Test
    void exactCasesWrittenOut() {
        assertEquals("\"\\u0001\"", JsJson.stringify("\u0001"));
        assertEquals("\"\u2028\"", JsJson.stringify("\u2028"));
        assertEquals("\"\\ud800\"", JsJson.stringify("\uD800"));
        assertEquals("\"a\\udc00\"", JsJson.stringify("a\uDC00"));
        assertEquals("\"\\\"\\\\\"", JsJson.stringify("\"\\"));
        assertEquals("\"\uD83D\uDE00\"", JsJson.stringify("\uD83D\uDE00"));
        assertEquals("\"\u007f\"", JsJson.stringify("\u007f"));
    }

    @Test
    void utf8OfRandomStringsIsNodes() {
        Random rnd = new Random(SEED + 3);
        for (int i = 0; i < CASES; i++) {
            String s = randomString(rnd);
            assertArrayEquals(nodeUtf8(s), Utf8.encode(s), describe(s));
        }
    }

    @Test
    void utf8ExactBytes() {
        HexFormat hex = HexFormat.of();
        assertEquals("efbfbd", hex.formatHex(Utf8.encode("\uD800")));
        assertEquals("efbfbd", hex.formatHex(Utf8.encode("\uDFFF")));
        assertEquals("61efbfbd62", hex.formatHex(Utf8.encode("a\uDC00b")));
        assertEquals("efbfbdefbfbd", hex.formatHex(Utf8.encode("\uDE00\uD83D")));
        assertEquals("efbfbdf09f9880", hex.formatHex(Utf8.encode("\uD83D\uD83D\uDE00")));
        assertEquals("f09f9880", hex.formatHex(Utf8.encode("\uD83D\uDE00")));
        assertEquals("c3bc", hex.formatHex(Utf8.encode("\u00fc")));
        assertEquals("e280a8", hex.formatHex(Utf8.encode("\u2028")));
        assertEquals("", hex.formatHex(Utf8.encode("")));
    }

    @Test
    void anHmacSecretWithALoneSurrogateIsKeyedAsNodeKeysIt() throws Exception {
        String hash = "bda301682da0c10acd2ac84242f1d711c505246b27b1c8c5029a9bb9cd297bd8";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[] {'k', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD}, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(expected, HmacEventSigner.of(Secret.of("k\uD800")).sign(hash).signature());
    }

    /** Java-style escapes in the CSV cells: \\uXXXX, \\b \\f \\n \\r \\t, \\\" and \\\\. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                default -> out.append(n);
            }
        }
        return out.toString();
    }
}
