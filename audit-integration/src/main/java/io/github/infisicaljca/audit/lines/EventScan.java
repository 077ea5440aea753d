package io.github.infisicaljca.audit.lines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import io.github.infisicaljca.audit.JsJson;
import io.github.infisicaljca.audit.batch.Jcs;
import io.github.infisicaljca.audit.batch.MerkleTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One streaming pass over an event's JSON text that finds what sealing needs, without the
 * JSON tree that {@link AuditEvent#parse} builds (most of a line's cost): the fields the
 * smart-logs hash reads and, for the batch format, the leaf (RFC 8785 of the whole event).
 *
 * <p>An optimisation only: {@link #of} returns {@code null} for anything but a plain event
 * (invalid JSON, a seal field already present, a hashed field that is not a string, a number
 * RFC 8785 refuses), and the caller then takes the tree path, which gives the same result or
 * the same error it always did. Where both succeed they agree byte for byte (tested on random events).
 */
final class EventScan {
    /**
     * Without the parser's duplicate detection (a hash set per object, a third of the parse):
     * every object's names are sorted here anyway, and a repeated name ends up beside its twin.
     */
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** The fields the smart-logs hash reads, each with its place in {@link #hashed}'s array. */
    private static final Map<String, Integer> HASHED = IntStream.range(0, EventHasher.FIELDS.size()).boxed()
            .collect(Collectors.toUnmodifiableMap(EventHasher.FIELDS::get, i -> i));

    /** The hashed fields as found (strings; absent and JSON null alike null), as the smart-logs hasher reads them. */
    final EventHasher.Fields hashed;
    /** SHA-256(0x00 || JCS(event)): the batch leaf; {@code null} when not asked for. */
    final byte[] leaf;

    private EventScan(String[] hashed, byte[] leaf) {
        this.hashed = field -> {
            Integer at = HASHED.get(field);
            return at == null ? null : hashed[at];
        };
        this.leaf = leaf;
    }

    /** The scan of {@code line}, or {@code null} when the tree path must decide (see the class comment). */
    static EventScan of(String line, boolean leaf) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String[] hashed = new String[HASHED.size()];
            StringBuilder canonical = leaf ? new StringBuilder(line.length()) : null;
            if (!object(p, canonical, hashed) || p.nextToken() != null) {
                return null;
            }
            return new EventScan(hashed, leaf ? leafHash(canonical) : null);
        } catch (IOException | RuntimeException e) {
            return null; // not a plain event: the tree path reports it as it always has
        }
    }

    private static byte[] leafHash(StringBuilder canonical) {
        return MerkleTree.leafHash(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The top-level object: its members in RFC 8785 order; false when the tree path must decide. */
    private static boolean object(JsonParser p, StringBuilder out, String[] hashed) throws IOException {
        String[] names = new String[16];
        String[] values = new String[16];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            if (BatchFormat.SEAL_FIELDS.contains(name)) {
                return false;
            }
            JsonToken v = p.nextToken();
            Integer at = HASHED.get(name);
            if (at != null) {
                if (v == JsonToken.VALUE_STRING) {
                    hashed[at] = p.getText();
                } else if (v != JsonToken.VALUE_NULL) {
                    return false; // the hasher's own error names the field and its type
                }
            }
            if (n == names.length) {
                names = Arrays.copyOf(names, 2 * n);
                values = Arrays.copyOf(values, 2 * n);
            }
            names[n] = name;
            values[n] = out == null ? skip(p, v) : value(p, v);
            n++;
        }
        return out == null ? !repeats(names, n) : members(out, names, values, n) != null;
    }

    /**
     * Passes over a value the hash does not read, still refusing a repeated name in it (as the
     * tree path does), without writing its canonical text.
     */
    private static String skip(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            String[] names = new String[8];
            int n = 0;
            for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
                if (n == names.length) {
                    names = Arrays.copyOf(names, 2 * n);
                }
                names[n++] = p.currentName();
                skip(p, p.nextToken());
            }
            if (repeats(names, n)) {
                throw new IllegalArgumentException("a repeated name"); // the tree path names it
            }
        } else if (t == JsonToken.START_ARRAY) {
            for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                skip(p, e);
            }
        }
        return "";
    }

    /** Whether a name repeats among the first {@code n} (which it sorts). */
    private static boolean repeats(String[] names, int n) {
        Arrays.sort(names, 0, n);
        for (int i = 1; i < n; i++) {
            if (names[i].equals(names[i - 1])) {
                return true;
            }
        }
        return false;
    }

    /** A value's RFC 8785 text, the parser at its first token. */
    private static String value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                String[] names = new String[8];
                String[] values = new String[8];
                int n = 0;
                for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
                    if (n == names.length) {
                        names = Arrays.copyOf(names, 2 * n);
                        values = Arrays.copyOf(values, 2 * n);
                    }
                    names[n] = p.currentName();
                    values[n] = value(p, p.nextToken());
                    n++;
                }
                StringBuilder b = members(new StringBuilder(), names, values, n);
                if (b == null) {
                    throw new IllegalArgumentException("a repeated name"); // the tree path names it
                }
                return b.toString();
            }
            case START_ARRAY: {
                StringBuilder b = new StringBuilder().append('[');
                boolean first = true;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    b.append(value(p, e));
                }
                return b.append(']').toString();
            }
            case VALUE_STRING:
                return JsJson.appendTo(new StringBuilder(), p.getText()).toString();
            case VALUE_NUMBER_INT:
                // Integers and decimals go through Jcs as the tree path's nodes would: the same text, the same refusals.
                return Jcs.canonicalize(p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? JsonNodeFactory.instance.numberNode(p.getBigIntegerValue())
                        : JsonNodeFactory.instance.numberNode(p.getLongValue()));
            case VALUE_NUMBER_FLOAT:
                return Jcs.canonicalize(JsonNodeFactory.instance.numberNode(p.getDecimalValue()));
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NULL:
                return "null";
            default:
                throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    /**
     * {@code {"name":value,...}} with the members sorted by name (UTF-16 code units, RFC 8785
     * §3.2.3); {@code null} when a name repeats. An event's objects are small: insertion sort,
     * unless an object is large enough for its quadratic time to matter.
     */
    private static StringBuilder members(StringBuilder out, String[] names, String[] values, int n) {
        if (n > 32) {
            Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
            String[] sortedNames = new String[n];
            String[] sortedValues = new String[n];
            for (int i = 0; i < n; i++) {
                sortedNames[i] = names[order[i]];
                sortedValues[i] = values[order[i]];
            }
            System.arraycopy(sortedNames, 0, names, 0, n);
            System.arraycopy(sortedValues, 0, values, 0, n);
        }
        for (int i = 1; i < n && n <= 32; i++) {
            String name = names[i];
            String value = values[i];
            int j = i - 1;
            while (j >= 0 && names[j].compareTo(name) > 0) {
                names[j + 1] = names[j];
                values[j + 1] = values[j];
                j--;
            }
            names[j + 1] = name;
            values[j + 1] = value;
        }
        out.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                if (names[i].equals(names[i - 1])) {
                    return null;
                }
                out.append(',');
            }
            JsJson.appendTo(out, names[i]).append(':').append(values[i]);
        }
        return out.append('}');
    }
}
