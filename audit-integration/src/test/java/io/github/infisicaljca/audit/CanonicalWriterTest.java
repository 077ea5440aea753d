package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CanonicalWriter}, the fast path behind {@link EventHasher#generateHash}, against the
 * definition: SHA-256 of {@code Utf8.encode(canonicalString(event))}, as the hasher used to compute it.
 */
class CanonicalWriterTest {
    private static final long SEED = 0xC0FFEE_2028L;

    /** The hash as generateHash computed it before the fast path. */
    static String reference(AuditEvent event) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Utf8.encode(EventHasher.canonicalString(event)));
        return HexFormat.of().formatHex(digest);
    }

    private static void assertAgrees(AuditEvent event, String what) throws Exception {
        byte[] expected = EventHasher.canonicalString(event).getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, CanonicalWriter.get().canonicalBytes(event), what);
        assertArrayEquals(expected, Utf8.encode(EventHasher.canonicalString(event)), what);
        String hash = reference(event);
        assertEquals(hash, EventHasher.generateHash(event), what);
        assertTrue(EventHasher.verifyHash(event, hash), what);
    }

    private static List<AuditEvent> vectorEvents() {
        List<AuditEvent> out = new ArrayList<>();
        for (JsonNode v : SmartLogsVectorsTest.vectors()) {
            out.add(AuditEvent.parse(v.get("event").toString()));
        }
        return out;
    }

    /** An event whose eight hashed fields are random strings, empty, or absent. */
    private static AuditEvent randomEvent(Random rnd) {
        AuditEvent e = AuditEvent.of(JsJsonPropertyTest.randomString(rnd), JsJsonPropertyTest.randomString(rnd),
                JsJsonPropertyTest.randomString(rnd));
        for (String field : EventHasher.FIELDS) {
            switch (rnd.nextInt(4)) {
                case 0 -> { } // as built: absent if optional
                case 1 -> e = e.with(field, "");
                default -> e = e.with(field, JsJsonPropertyTest.randomString(rnd));
            }
        }
        return e;
    }

    @Test
    void everyVectorEventHashesTheSameBytes() throws Exception {
        List<AuditEvent> events = vectorEvents();
        assertEquals(60, events.size());
        for (int i = 0; i < events.size(); i++) {
            assertAgrees(events.get(i), "vector " + (i + 1));
        }
    }

    @Test
    void randomEventsHashTheSameBytes() throws Exception {
        Random rnd = new Random(SEED);
        for (int i = 0; i < 5_000; i++) {
            AuditEvent e = randomEvent(rnd);
            assertAgrees(e, "case " + i + ": " + e.toJson());
        }
    }

    @Test
    void stringifyIsJsJsonInUtf8ForEveryCodeUnitAndRandomStrings() {
        byte[] out = new byte[6 * 64 + 2];
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = String.valueOf((char) c);
            int end = CanonicalWriter.stringify(s, out, 0);
            assertArrayEquals(JsJson.stringify(s).getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(out, end),
                    String.format("U+%04X", c));
        }
        Random rnd = new Random(SEED + 1);
        for (int i = 0; i < 20_000; i++) {
            String s = JsJsonPropertyTest.randomString(rnd);
            // Written mid-buffer, after plain text, as the writer does.
            int end = CanonicalWriter.stringify(s, out, 3);
            assertArrayEquals(JsJson.stringify(s).getBytes(StandardCharsets.UTF_8),
                    java.util.Arrays.copyOfRange(out, 3, end), "case " + i);
        }
    }

    @Test
    void theHardCodeUnitsInEveryField() throws Exception {
        String[] hard = {"\"", "\\", "\b\f\n\r\t", "\u0000\u0001\u001f\u000b", "\u007f", "\u2028\u2029", "\u0085\u00a0",
            "Zürich", "한국어", "\uD83D\uDE00", "\uD800", "\uDFFF", "a\uDC00b", "\uDE00\uD83D", "\uD83D\uD83D\uDE00",
            "\uDBFF\uDFFF", "x\uD800", "\uFFFF\uFFFE", "null", " ", "plain-ascii-0123456789", "</script>"};
        for (String field : EventHasher.FIELDS) {
            for (String value : hard) {
                AuditEvent e = AuditEvent.of("t", "a", "s").with(field, value);
                assertAgrees(e, field + "=" + JsJson.stringify(value));
                assertAgrees(e.with(field, "plain " + value + " plain"), field);
            }
        }
    }

    @Test
    void eventsLargerThanTheKeptBufferAndSmallOnesAfterThem() throws Exception {
        Random rnd = new Random(SEED + 2);
        StringBuilder worst = new StringBuilder();
        StringBuilder mixed = new StringBuilder();
        while (worst.length() < 3 * CanonicalWriter.RETAINED) {
            worst.append('\u0001').append('\uD800');                 // six bytes a code unit
            mixed.append(JsJsonPropertyTest.randomString(rnd));
        }
        AuditEvent small = AuditEvent.of("2024-01-29T10:45:33.736Z", "read", "success");
        assertAgrees(small, "small");
        for (String big : new String[] {worst.toString(), mixed.toString()}) {
            assertAgrees(AuditEvent.of("t", "a", "s").with("outcomeDescription", big), "one large field");
            AuditEvent allLarge = AuditEvent.of(big, big, big);
            for (String field : EventHasher.FIELDS) {
                allLarge = allLarge.with(field, big);
            }
            assertAgrees(allLarge, "all fields large");
            assertAgrees(small, "small after large");
        }
    }

    @Test
    void badEventsFailWithTheMessagesOfCanonicalString() {
        List<AuditEvent> bad = new ArrayList<>();
        bad.add(AuditEvent.parse("{}"));
        bad.add(AuditEvent.parse("{\"timestamp\":\"t\",\"status\":\"s\"}"));
        bad.add(AuditEvent.parse("{\"timestamp\":\"t\",\"action\":\"a\",\"status\":null}"));
        bad.add(AuditEvent.parse("{\"action\":\"a\",\"status\":\"s\"}"));
        // Both a wrong type and a missing field: the first in field order decides the message.
        bad.add(AuditEvent.parse("{\"action\":\"a\",\"status\":\"s\",\"principalId\":7}"));
        bad.add(AuditEvent.parse("{\"timestamp\":\"t\",\"status\":\"s\",\"principalId\":7}"));
        bad.add(AuditEvent.parse("{\"timestamp\":\"t\",\"action\":[],\"status\":\"s\"}"));
        bad.add(AuditEvent.parse("{\"timestamp\":\"t\",\"action\":\"a\",\"status\":\"s\",\"targetResourceType\":{}}"));
        bad.add(AuditEvent.parse("{\"timestamp\":true,\"action\":\"a\",\"status\":\"s\"}"));
        for (AuditEvent e : bad) {
            String expected = assertThrows(IllegalArgumentException.class, () -> EventHasher.canonicalString(e))
                    .getMessage();
            assertNotNull(expected);
            assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> EventHasher.generateHash(e))
                    .getMessage(), e.toJson());
            assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> EventHasher.verifyHash(e, "00"))
                    .getMessage(), e.toJson());
        }
        // A failed event leaves nothing behind for the next one on the thread.
        AuditEvent good = AuditEvent.of("t", "a", "s");
        assertEquals(EventHasher.canonicalString(good),
                new String(CanonicalWriter.get().canonicalBytes(good), StandardCharsets.UTF_8));
        assertFalse(EventHasher.verifyHash(bad.get(0), null), "a null hash is false before the event is read");
    }

    @Test
    void verifyHashAcceptsOnlyTheExactLowerCaseHex() throws Exception {
        AuditEvent e = vectorEvents().get(0);
        String hash = reference(e);
        assertTrue(EventHasher.verifyHash(e, hash));
        for (String wrong : new String[] {hash.toUpperCase(java.util.Locale.ROOT), hash.substring(1), hash + "0", "",
            hash.substring(0, 63) + (hash.charAt(63) == '0' ? '1' : '0'), hash.substring(0, 63) + "\uD800",
            hash.substring(0, 63) + "\u00e9"}) {
            assertFalse(EventHasher.verifyHash(e, wrong), wrong);
        }
        assertFalse(EventHasher.verifyHash(e, null));
    }

    @Test
    void threadsHashingDifferentEventsAtOnceEachGetTheirOwnHashes() throws Exception {
        List<AuditEvent> events = new ArrayList<>(vectorEvents());
        Random rnd = new Random(SEED + 3);
        for (int i = 0; i < 40; i++) {
            events.add(randomEvent(rnd));
        }
        // One event large enough that its thread writes into a buffer of its own.
        events.add(AuditEvent.of("t", "a", "s").with("outcomeDescription", "\u0001".repeat(CanonicalWriter.RETAINED)));
        List<String> expected = new ArrayList<>();
        for (AuditEvent e : events) {
            expected.add(reference(e));
        }
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = SEED + 100 + t;
                Callable<Integer> task = () -> {
                    start.await();
                    Random order = new Random(seed);
                    int checked = 0;
                    for (int n = 0; n < 3_000; n++) {
                        int i = order.nextInt(events.size());
                        String hash = EventHasher.generateHash(events.get(i));
                        if (!hash.equals(expected.get(i)) || !EventHasher.verifyHash(events.get(i), expected.get(i))) {
                            throw new AssertionError("event " + i + " hashed to " + hash + " on " + Thread.currentThread());
                        }
                        checked++;
                    }
                    return checked;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertEquals(3_000, f.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
