package io.github.infisicaljca.audit.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import io.github.infisicaljca.audit.batch.BatchChain;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming scan agrees with the tree path (AuditEvent.parse, EventHasher, BatchChain.leafHash) or steps aside. */
class EventScanTest {
    private static final String[] NAMES = {"timestamp", "action", "status", "principalId", "organizationId",
        "targetResourceType", "targetResourceId", "outcomeDescription", "details", "amount", "a", "B", "é", "😀",
        "\\u00e9", "aa", "", "ab\\nc"};
    private static final String[] STRINGS = {"", "x", "Zürich", "\\u00fc", "\\ud83d\\ude00", "😀", "\\ud800", "a\\\"b",
        "\\\\", "\\/", "\\n\\t\\r\\b\\f", "\\u0001", "\\u2028", "2026-01-01T00:00:00.000Z", "한국어"};
    private static final String[] NUMBERS = {"0", "-0", "1", "-1", "1.50", "1E+2", "1e-7", "0.1", "123456789012",
        "9007199254740992", "-9007199254740992", "9007199254740993", "123456789012345678901234567890", "1.0e400",
        "5e-324", "3.141592653589793238", "-0.0", "100", "1e21", "1e20"};

    private static String value(Random r, int depth) {
        int k = depth > 2 ? r.nextInt(4) : r.nextInt(7);
        switch (k) {
            case 0:
                return '"' + STRINGS[r.nextInt(STRINGS.length)] + '"';
            case 1:
                return NUMBERS[r.nextInt(NUMBERS.length)];
            case 2:
                return r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null";
            case 3:
                return '"' + STRINGS[r.nextInt(STRINGS.length)] + STRINGS[r.nextInt(STRINGS.length)] + '"';
            case 4:
            case 5:
                return object(r, depth + 1, false);
            default:
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "").append(space(r)).append(value(r, depth + 1));
                }
                return b.append(']').toString();
        }
    }

    private static String space(Random r) {
        return r.nextInt(5) == 0 ? (r.nextBoolean() ? " " : "\t") : "";
    }

    private static String object(Random r, int depth, boolean event) {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(event ? 10 : 4);
        boolean first = true;
        if (event && r.nextInt(4) > 0) { // mostly events that hash: the three required fields as strings
            b.append("\"timestamp\":\"t\",\"action\":\"").append(STRINGS[r.nextInt(STRINGS.length)])
                    .append("\",\"status\":\"ok\"");
            first = false;
        }
        for (int i = 0; i < n; i++) {
            String name = NAMES[r.nextInt(NAMES.length)];
            if (event && r.nextInt(40) == 0) {
                name = new String[] {"hash", "signature", "seal", "algorithm", "hashAlgorithm"}[r.nextInt(5)];
            }
            b.append(first ? "" : ",").append(space(r)).append('"').append(name).append("\":").append(space(r))
                    .append(value(r, depth));
            first = false;
        }
        return b.append(space(r)).append('}').toString();
    }

    @Test
    void onRandomEventsTheScanEqualsTheTreePathOrStepsAside() {
        Random r = new Random(20261206);
        int scanned = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String line = object(r, 0, true);
            String tree;
            String treeHash;
            try {
                treeHash = EventHasher.generateHash(AuditEvent.parse(line));
            } catch (IllegalArgumentException e) {
                treeHash = "refused: " + e.getMessage();
            }
            try {
                AuditEvent e = AuditEvent.parse(line);
                String hash = EventHasher.generateHash(e);
                boolean sealed = e.has("hash") || e.has("signature") || e.has("seal") || e.has("algorithm")
                        || e.has("hashAlgorithm");
                tree = hash + (sealed ? "" : " " + HexFormat.of().formatHex(BatchChain.leafHash(e)));
            } catch (IllegalArgumentException e) {
                tree = "refused: " + e.getMessage();
            }
            EventScan withLeaf = EventScan.of(line, true);
            if (withLeaf != null) {
                scanned++;
                assertEquals(tree, outcome(withLeaf, true), line);
            }
            EventScan hashOnly = EventScan.of(line, false);
            if (hashOnly != null) {
                assertNull(hashOnly.leaf);
                assertEquals(treeHash, outcome(hashOnly, false), line);
            }
        }
        assertTrue(scanned > n / 10, "only " + scanned + " of " + n + " events took the fast path");
    }

    /** What the sealer makes of a scan: the hash (and leaf), or the hasher's refusal. */
    private static String outcome(EventScan scan, boolean leaf) {
        try {
            return EventHasher.generateHash(scan.hashed) + (leaf ? " " + HexFormat.of().formatHex(scan.leaf) : "");
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Test
    void largeObjectsAreSortedAndTheirRepeatedNamesFound() {
        for (int size : new int[] {31, 32, 33, 200}) {
            StringBuilder b = new StringBuilder("{\"timestamp\":\"t\",\"action\":\"a\",\"status\":\"s\",\"details\":{");
            for (int i = size; i > 0; i--) {
                b.append(i == size ? "" : ",").append("\"k").append(i).append("\":").append(i);
            }
            String line = b.append("}}").toString();
            AuditEvent tree = AuditEvent.parse(line);
            assertEquals(HexFormat.of().formatHex(BatchChain.leafHash(tree)),
                    HexFormat.of().formatHex(EventScan.of(line, true).leaf), "size " + size);
            assertNull(EventScan.of(line.replace("\"k1\":", "\"k2\":"), true), "size " + size);
        }
    }

    @Test
    void whatTheTreePathMustDecideIsLeftToIt() {
        assertNull(EventScan.of("[1]", true));
        assertNull(EventScan.of("{\"timestamp\":\"t\"} {}", true)); // trailing content
        assertNull(EventScan.of("{\"a\":1,\"a\":2}", true)); // duplicate
        assertNull(EventScan.of("{\"x\":{\"a\":1,\"a\":2}}", true)); // nested duplicate
        assertNull(EventScan.of("{\"x\":[{\"b\":{\"a\":1,\"a\":2}}]}", false)); // deeper, hash only
        assertNull(EventScan.of("{\"timestamp\":\"t\",\"timestamp\":\"u\"}", false));
        assertNull(EventScan.of("{\"status\":7}", false)); // a hashed field that is not a string
        assertNull(EventScan.of("{\"seal\":{}}", false)); // sealed before
        assertNull(EventScan.of("{\"n\":9007199254740993}", true)); // beyond 2^53: RFC 8785 refuses it
        assertNotNull(EventScan.of("{\"n\":9007199254740993}", false)); // the smart-logs hash does not read it
        assertNull(EventScan.of("{\"a\":1", true));
    }
}
