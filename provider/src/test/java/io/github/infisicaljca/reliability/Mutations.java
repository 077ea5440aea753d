package io.github.infisicaljca.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutations of a recorded response body: every field dropped, every value replaced by each of
 * {@link #REPLACEMENTS}, and every string at the top level, and every id and name, by a 10 MiB
 * string (elsewhere the other replacements already break the type; this keeps the run short), the body cut at random points, bodies that are not JSON objects at all, and
 * the unchanged body under a wrong Content-Type.
 */
final class Mutations {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Ten MiB of 'A': valid base64 (of 7.5 MiB of zeros), so only a check of the value can refuse it. */
    static final String HUGE = "A".repeat(10 << 20);

    static final Map<String, JsonNode> REPLACEMENTS = new LinkedHashMap<>();

    static {
        REPLACEMENTS.put("null", F.nullNode());
        REPLACEMENTS.put("42", F.numberNode(42));
        REPLACEMENTS.put("true", F.booleanNode(true));
        REPLACEMENTS.put("[]", F.arrayNode());
        REPLACEMENTS.put("{}", F.objectNode());
        REPLACEMENTS.put("\"\" (also base64 of 0 bytes)", F.textNode(""));
        REPLACEMENTS.put("\"@@@\" (invalid base64)", F.textNode("@@@"));
        REPLACEMENTS.put("\"AB=\" (base64 cut short)", F.textNode("AB="));
        REPLACEMENTS.put("1e308", F.numberNode(1e308));
        REPLACEMENTS.put("10^30", F.numberNode(BigInteger.TEN.pow(30)));
        REPLACEMENTS.put("-1", F.numberNode(-1));
        REPLACEMENTS.put("Long.MIN_VALUE", F.numberNode(Long.MIN_VALUE));
        REPLACEMENTS.put("-1.5", F.numberNode(-1.5));
    }

    static final List<String> NOT_JSON_OBJECTS = List.of("", "null", "[]", "\"ok\"", "42", "true",
            "<html><body><h1>502 Bad Gateway</h1></body></html>", "{\"a\":1}{\"b\":2}", "{", "}", "\u0000\u0001\u0002");

    /** One mutated answer. {@code contentType} null means no Content-Type header at all. */
    record Mutation(String label, byte[] body, String contentType) {
    }

    private Mutations() {
    }

    static List<Mutation> of(String json, Random random, int truncations) {
        JsonNode original = parse(json);
        List<Mutation> out = new ArrayList<>();
        List<List<Object>> paths = new ArrayList<>();
        collect(original, new ArrayList<>(), paths);
        for (List<Object> path : paths) {
            JsonNode dropped = original.deepCopy();
            remove(dropped, path);
            out.add(json("drop " + name(path), dropped));
            for (Map.Entry<String, JsonNode> r : REPLACEMENTS.entrySet()) {
                JsonNode changed = original.deepCopy();
                set(changed, path, r.getValue());
                out.add(json(name(path) + " := " + r.getKey(), changed));
            }
            Object last = path.get(path.size() - 1);
            boolean textual = original.at(pointer(path)).isTextual(); // elsewhere "@@@" already breaks the type
            if (textual && (path.size() == 1 || "id".equals(last) || "name".equals(last))) {
                JsonNode huge = original.deepCopy();
                set(huge, path, F.textNode(HUGE));
                out.add(json(name(path) + " := 10 MiB string", huge));
            }
        }
        byte[] bytes = json.getBytes(UTF_8);
        for (int i = 0; i < truncations; i++) {
            int cut = 1 + random.nextInt(bytes.length - 1);
            out.add(new Mutation("cut after " + cut + " of " + bytes.length + " bytes",
                    java.util.Arrays.copyOf(bytes, cut), "application/json"));
        }
        for (String s : NOT_JSON_OBJECTS) {
            out.add(new Mutation("not a JSON object: " + s.replaceAll("\\p{Cntrl}", "?"), s.getBytes(UTF_8), "application/json"));
        }
        for (String type : new String[] {"text/html", "text/plain; charset=iso-8859-1", null}) {
            out.add(new Mutation("Content-Type " + type, bytes, type));
        }
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Mutation json(String label, JsonNode body) {
        try {
            return new Mutation(label, JSON.writeValueAsBytes(body), "application/json");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every field of every object, and the first element of every array, at any depth. */
    private static void collect(JsonNode node, List<Object> prefix, List<List<Object>> out) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                List<Object> p = new ArrayList<>(prefix);
                p.add(f);
                out.add(p);
                collect(node.get(f), p, out);
            }
        } else if (node.isArray() && node.size() > 0) {
            List<Object> p = new ArrayList<>(prefix);
            p.add(0);
            out.add(p);
            collect(node.get(0), p, out);
        }
    }

    private static JsonNode parent(JsonNode root, List<Object> path) {
        JsonNode n = root;
        for (Object step : path.subList(0, path.size() - 1)) {
            n = step instanceof Integer ? n.get((Integer) step) : n.get((String) step);
        }
        return n;
    }

    private static void remove(JsonNode root, List<Object> path) {
        JsonNode p = parent(root, path);
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer) {
            ((ArrayNode) p).remove((Integer) last);
        } else {
            ((ObjectNode) p).remove((String) last);
        }
    }

    private static void set(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode p = parent(root, path);
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer) {
            ((ArrayNode) p).set((Integer) last, value);
        } else {
            ((ObjectNode) p).set((String) last, value);
        }
    }

    private static String pointer(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object step : path) {
            sb.append('/').append(String.valueOf(step).replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    private static String name(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer) {
                sb.append('[').append(step).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(step);
            }
        }
        return sb.toString();
    }
}
