package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infisicaljca.audit.JsJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 8785 (JCS) canonical JSON of a Jackson tree: no white space, object members sorted by the
 * UTF-16 code units of their names (Java's {@code String.compareTo}), strings as ECMAScript
 * {@code JSON.stringify} writes them, numbers as ECMAScript {@code Number.prototype.toString}
 * of their IEEE double. Numbers no double holds exactly (integers beyond 2^53) and non-finite
 * ones are refused: two producers could not agree on their bytes.
 */
public final class Jcs {
    private static final BigInteger MAX_SAFE = BigInteger.valueOf(1L << 53);

    private Jcs() {
    }

    /**
     * RFC 8785 canonical JSON.
     *
     * @param node the JSON value
     * @return the canonical form as text
     */
    public static String canonicalize(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    /**
     * RFC 8785 canonical JSON, encoded.
     *
     * @param node the JSON value
     * @return the canonical form as UTF-8 (strings carry no lone surrogates: JSON.stringify escaped them)
     */
    public static byte[] canonicalBytes(JsonNode node) {
        return canonicalize(node).getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode n, StringBuilder out) {
        switch (n.getNodeType()) {
            case OBJECT:
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                    names.add(it.next());
                }
                names.sort(null); // String.compareTo compares UTF-16 code units, as RFC 8785 §3.2.3 asks
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    JsJson.appendTo(out, names.get(i)).append(':');
                    write(n.get(names.get(i)), out);
                }
                out.append('}');
                break;
            case ARRAY:
                out.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(n.get(i), out);
                }
                out.append(']');
                break;
            case STRING:
                JsJson.appendTo(out, n.textValue());
                break;
            case BOOLEAN:
                out.append(n.booleanValue());
                break;
            case NULL:
                out.append("null");
                break;
            case NUMBER:
                long v = n.longValue();
                if (n.isIntegralNumber() && n.canConvertToLong() && v >= -(1L << 53) && v <= 1L << 53) {
                    out.append(v); // the common case, without BigInteger
                } else {
                    out.append(number(n));
                }
                break;
            default:
                throw new IllegalArgumentException("JSON canonicalisation: unsupported node type " + n.getNodeType());
        }
    }

    private static String number(JsonNode n) {
        if (n.isIntegralNumber()) {
            BigInteger v = n.bigIntegerValue();
            if (v.abs().compareTo(MAX_SAFE) > 0) {
                throw new IllegalArgumentException("JSON canonicalisation (RFC 8785): the integer " + v
                        + " is beyond 2^53 and has no exact IEEE double; write it as a string");
            }
            return v.toString();
        }
        BigDecimal exact = n.decimalValue();
        double d = exact.doubleValue();
        return number(d);
    }

    /**
     * ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) of a finite double: the shortest
     * decimal that reads back as {@code d}, the closest to it when several are as short.
     * Java 17's {@code Double.toString} is not always the shortest (JDK-4511638), so the digits
     * are found here.
     *
     * @param d the number
     * @return its shortest form
     * @throws IllegalArgumentException for NaN and the infinities
     */
    public static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON canonicalisation (RFC 8785): " + d + " is not a JSON number");
        }
        if (d == 0) {
            return "0"; // -0 too
        }
        if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return Long.toString((long) d);
        }
        BigDecimal s = shortest(Math.abs(d));
        String digits = s.unscaledValue().toString();
        int k = digits.length();
        int n = k - s.scale(); // d = 0.digits x 10^n
        StringBuilder out = new StringBuilder(24);
        if (d < 0) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return out.toString();
    }

    /** The shortest decimal reading back as {@code v} (> 0), trailing zeros stripped. */
    private static BigDecimal shortest(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; p <= 17; p++) {
            // Only the nearest p-digit decimals below and above can read back as v: the set
            // that does is an interval around v. Of the two, the closer one wins (ECMA-262).
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
            boolean downOk = down.doubleValue() == v;
            boolean upOk = up.doubleValue() == v;
            if (downOk || upOk) {
                BigDecimal pick;
                if (downOk && upOk) {
                    int c = exact.subtract(down).compareTo(up.subtract(exact));
                    pick = c < 0 ? down : c > 0 ? up
                            : down.unscaledValue().testBit(0) ? up : down; // a tie goes to the even digit
                } else {
                    pick = downOk ? down : up;
                }
                return pick.stripTrailingZeros();
            }
        }
        throw new IllegalStateException("no 17-digit decimal reads back as the double"); // cannot happen
    }
}
