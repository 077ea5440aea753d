package io.github.infisicaljca.audit.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infisicaljca.audit.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JcsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0000000000000000;0", "8000000000000000;0", "0000000000000001;5e-324", "8000000000000001;-5e-324",
        "7fefffffffffffff;1.7976931348623157e+308", "ffefffffffffffff;-1.7976931348623157e+308",
        "4340000000000000;9007199254740992", "c340000000000000;-9007199254740992",
        "4430000000000000;295147905179352830000", "44b52d02c7e14af5;9.999999999999997e+22",
        "44b52d02c7e14af6;1e+23", "44b52d02c7e14af7;1.0000000000000001e+23",
        "444b1ae4d6e2ef4e;999999999999999700000", "444b1ae4d6e2ef4f;999999999999999900000",
        "444b1ae4d6e2ef50;1e+21", "3eb0c6f7a0b5ed8c;9.999999999999997e-7", "3eb0c6f7a0b5ed8d;0.000001",
        "41b3de4355555553;333333333.3333332", "41b3de4355555554;333333333.33333325",
        "41b3de4355555555;333333333.3333333", "41b3de4355555556;333333333.3333334",
        "41b3de4355555557;333333333.33333343", "becbf647612f3696;-0.0000033333333333333333",
        "43143ff3c1cb0959;1424953923781206.2"})
    void appendixBNumbers(String bits, String expected) {
        assertEquals(expected, Jcs.number(Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"1e21;1e+21", "1e-7;1e-7", "0.000001;0.000001", "-0.0;0",
        "1.2345678901234568E20;123456789012345680000", "2.82879384806159E17;282879384806159000",
        "1.0E23;1e+23", "0.1;0.1", "-1.5;-1.5", "100;100", "5e-324;5e-324"})
    void edgeCases(double value, String expected) {
        assertEquals(expected, Jcs.number(value));
    }

    @Test
    void refusesNonFiniteAndUnsafeIntegers() {
        assertThrows(IllegalArgumentException.class, () -> Jcs.number(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Jcs.number(Double.POSITIVE_INFINITY));
        JsonNode big = AuditEvent.parse("{\"n\":9007199254740993}").json();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(big));
        assertEquals(true, e.getMessage().contains("2^53"), e.getMessage());
        assertEquals("{\"n\":9007199254740992}", Jcs.canonicalize(AuditEvent.parse("{\"n\":9007199254740992}").json()));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(AuditEvent.parse("{\"n\":1e400}").json()));
    }

    /** RFC 8785 §3.2.2 example (sorting and escaping), and §3.2.3's UTF-16 sort example. */
    @Test
    void rfcExamples() throws Exception {
        String in = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50,\n 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";
        assertEquals("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", Jcs.canonicalize(AuditEvent.parse(in).json()));
        String sort = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        assertEquals("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O "
                + "With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet "
                + "With Dagesh\"}", Jcs.canonicalize(JSON.readTree(sort)));
    }
}
