package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A second implementation of docs/audit-batch-format.md, written from the document and sharing
 * no code with the library: BouncyCastle's SHA-256, the RFC 9162 recursive definitions (tree
 * and audit path), its own small JCS (strings, integers, booleans, null, objects, arrays: what
 * the vectors hold), the JDK's Mac directly. It throws {@link AssertionError} on any mismatch.
 */
final class IndependentBatchVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEAL_FIELDS = List.of("hash", "hashAlgorithm", "signature", "algorithm", "seal");

    private IndependentBatchVerifier() {
    }

    /** Verifies a whole HMAC-sealed log and its checkpoint; returns each batch's root, base64. */
    static List<String> verify(List<String> lines, String checkpoint, byte[] secret) throws Exception {
        List<String> roots = new ArrayList<>();
        byte[] prev = new byte[32];
        long count = 0;
        int i = 0;
        JsonNode last = null;
        while (i < lines.size()) {
            JsonNode first = JSON.readTree(lines.get(i)).get("seal");
            int size = first.get("size").asInt();
            List<byte[]> leaves = new ArrayList<>();
            List<JsonNode> seals = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                JsonNode event = JSON.readTree(lines.get(i + j));
                JsonNode seal = event.get("seal");
                check(seal.get("index").asInt() == j, "index in order");
                leaves.add(leaf(event));
                seals.add(seal);
            }
            byte[] root = mth(leaves);
            count += size;
            for (int j = 0; j < size; j++) {
                JsonNode seal = seals.get(j);
                check(b64(root).equals(seal.get("root").asText()), "root of batch");
                check(b64(prev).equals(seal.get("prev").asText()), "prev chains");
                check(seal.get("count").asLong() == count, "running count");
                check(seal.get("seq").asLong() == roots.size(), "seq");
                List<String> want = new ArrayList<>();
                path(j, leaves).forEach(p -> want.add(b64(p)));
                List<String> got = new ArrayList<>();
                seal.get("proof").forEach(p -> got.add(p.asText()));
                check(want.equals(got), "audit path of leaf " + j);
                check(seal.get("signature").asText().equals(hmac(secret, statement(seal))), "signature");
            }
            last = seals.get(0);
            roots.add(b64(root));
            prev = root;
            i += size;
        }
        JsonNode cp = JSON.readTree(checkpoint);
        check(cp.get("signature").asText().equals(hmac(secret, statement(cp))), "checkpoint signature");
        check(statement(cp).equals(statement(last)), "the log ends at the checkpoint");
        return roots;
    }

    /** The eight statement fields in code-unit order (all ASCII names), as JCS writes them. */
    static String statement(JsonNode s) {
        return "{\"algorithm\":" + str(s.get("algorithm").asText()) + ",\"count\":" + s.get("count").asLong()
                + ",\"keyId\":" + str(s.get("keyId").asText()) + ",\"prev\":" + str(s.get("prev").asText())
                + ",\"root\":" + str(s.get("root").asText()) + ",\"seq\":" + s.get("seq").asLong() + ",\"size\":"
                + s.get("size").asLong() + ",\"v\":1}";
    }

    static byte[] leaf(JsonNode event) {
        TreeMap<String, JsonNode> fields = new TreeMap<>();
        event.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        SEAL_FIELDS.forEach(fields::remove);
        StringBuilder sb = new StringBuilder();
        object(fields, sb);
        return sha256(new byte[] {0}, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void object(TreeMap<String, JsonNode> fields, StringBuilder sb) {
        sb.append('{');
        boolean first = true;
        for (var e : fields.entrySet()) {
            sb.append(first ? "" : ",").append(str(e.getKey())).append(':');
            value(e.getValue(), sb);
            first = false;
        }
        sb.append('}');
    }

    private static void value(JsonNode v, StringBuilder sb) {
        if (v.isObject()) {
            TreeMap<String, JsonNode> m = new TreeMap<>();
            for (Iterator<String> it = v.fieldNames(); it.hasNext();) {
                String k = it.next();
                m.put(k, v.get(k));
            }
            object(m, sb);
        } else if (v.isArray()) {
            sb.append('[');
            for (int i = 0; i < v.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                value(v.get(i), sb);
            }
            sb.append(']');
        } else if (v.isTextual()) {
            sb.append(str(v.textValue()));
        } else if (v.isIntegralNumber() || v.isBoolean() || v.isNull()) {
            sb.append(v.asText().equals("") ? "null" : v.toString());
        } else {
            throw new AssertionError("the independent JCS handles no fractions (the vectors hold none)");
        }
    }

    /** JSON string per ECMAScript: only ", \ and control characters escaped (the vectors hold no lone surrogates). */
    private static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }

    /** RFC 9162 §2.1.1, as written. */
    static byte[] mth(List<byte[]> leafHashes) {
        if (leafHashes.size() == 1) {
            return leafHashes.get(0);
        }
        int k = Integer.highestOneBit(leafHashes.size() - 1);
        return sha256(new byte[] {1}, concat(mth(leafHashes.subList(0, k)), mth(leafHashes.subList(k,
                leafHashes.size()))));
    }

    /** RFC 9162 §2.1.3.1 PATH(m, D[n]), as written. */
    static List<byte[]> path(int m, List<byte[]> d) {
        List<byte[]> out = new ArrayList<>();
        if (d.size() <= 1) {
            return out;
        }
        int k = Integer.highestOneBit(d.size() - 1);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, d.size())));
        } else {
            out.addAll(path(m - k, d.subList(k, d.size())));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    private static byte[] sha256(byte[] prefix, byte[] data) {
        SHA256Digest d = new SHA256Digest();
        d.update(prefix, 0, prefix.length);
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String hmac(byte[] secret, String statement) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return b64(mac.doFinal(statement.getBytes(StandardCharsets.UTF_8)));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("independent verification failed: " + what);
        }
    }
}
