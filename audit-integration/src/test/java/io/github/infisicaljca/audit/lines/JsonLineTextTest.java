package io.github.infisicaljca.audit.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineTextTest {

    private static String append(String object, String fields) {
        return new String(JsonLineText.append(object, fields, "}"), StandardCharsets.UTF_8);
    }

    @Test
    void fieldsGoBeforeTheClosingBraceWithACommaOnlyWhenTheObjectHasMembers() {
        assertEquals("{\"a\":1,\"h\":2}", append("{\"a\":1}", "\"h\":2"));
        assertEquals("{\"h\":2}", append("{}", "\"h\":2"));
        assertEquals("{\"h\":2}", append("{ \t }", "\"h\":2"));
        assertEquals("  {\"a\" : 1,\"h\":2}", append("  {\"a\" : 1 \r\n}  \t", "\"h\":2"));
        assertThrows(IllegalArgumentException.class, () -> append("[1]", "\"h\":2"));
        assertThrows(IllegalArgumentException.class, () -> append("   ", "\"h\":2"));
    }

    @Test
    void loneSurrogatesBecomeEscapesAndPairsStay() {
        assertEquals("{\"a\":\"x\\ud800y😀\",\"h\":2}", append("{\"a\":\"x\uD800y😀\"}", "\"h\":2"));
        assertEquals("{\"a\":\"\\udc00\",\"h\":2}", append("{\"a\":\"\uDC00\"}", "\"h\":2"));
    }

    @Test
    void quoteEscapesWhatJsonNeedsAndLeavesPlainTextAlone() {
        assertEquals("\"RSASSA_PSS_SHA_256\"", JsonLineText.quote("RSASSA_PSS_SHA_256"));
        assertEquals("\"ab+/==\"", JsonLineText.quote("ab+/=="));
        assertEquals("\"a\\\"b\\\\c\\n\"", JsonLineText.quote("a\"b\\c\n"));
        assertEquals("\"é\"", JsonLineText.quote("é"));
    }
}
