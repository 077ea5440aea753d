package io.github.infisicaljca.kms;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infisicaljca.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one request sent that must not come back into a message: the bearer token, a credential
 * in the body (auth calls), and the payload (plaintext, data, ciphertext, signature, MAC). A
 * server, a proxy or the JDK's own parser may echo any of it in an error's text; each is masked
 * as {@link Secret#MASK}, whole, and so is a piece of one quoted on its own (a server that cuts a
 * long value short, "'aGVsbG8gd29y...' is invalid").
 */
final class SentValues {
    /** Body fields that carry a credential (auth calls), masked whatever their length. */
    private static final String[] CREDENTIALS = {"clientSecret", "accessToken"};
    /** Body fields that carry the caller's data. */
    private static final String[] PAYLOAD = {"plaintext", "data", "ciphertext", "signature", "mac"};
    /**
     * A payload shorter than this is not searched for: a one-byte payload's base64 ("AQ==") would
     * otherwise mask a word of the server's own text.
     */
    private static final int MIN_PAYLOAD = 8;
    /** A run of the server's text this long that occurs inside a sent value is a piece of it. */
    private static final int MIN_PIECE = 16;
    /**
     * Characters of base64 (standard and URL-safe) but its padding: a piece is a maximal run of them,
     * so the dots of a JWT, an ellipsis or a quote end it, and a '=' glues no field name to it.
     */
    private static final Pattern RUN = Pattern.compile("[A-Za-z0-9+/_-]{" + MIN_PIECE + ",}");

    private SentValues() {
    }

    /** Masks what {@code call} sent, and {@code sentToken} (which may be null), in a text. */
    static UnaryOperator<String> masker(ApiCall call, String sentToken) {
        List<String> values = new ArrayList<>();
        if (sentToken != null && !sentToken.isEmpty()) {
            values.add(sentToken);
        }
        add(values, call.body(), CREDENTIALS, 1);
        add(values, call.body(), PAYLOAD, MIN_PAYLOAD);
        // Longest first, so a value holding another is masked whole.
        values.sort((a, b) -> b.length() - a.length());
        return values.isEmpty() ? UnaryOperator.identity() : text -> mask(text, values);
    }

    private static void add(List<String> values, JsonNode body, String[] fields, int minLength) {
        for (String field : fields) {
            JsonNode v = body == null ? null : body.get(field);
            if (v != null && v.isTextual() && v.textValue().length() >= minLength) {
                values.add(v.textValue());
            }
        }
    }

    private static String mask(String text, List<String> values) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, Secret.MASK);
        }
        Matcher m = RUN.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(isPiece(m.group(), values) ? Secret.MASK : m.group()));
        }
        return m.appendTail(sb).toString();
    }

    private static boolean isPiece(String run, List<String> values) {
        for (String v : values) {
            if (v.length() >= run.length() && v.contains(run)) {
                return true;
            }
        }
        return false;
    }
}
