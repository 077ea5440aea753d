package io.github.infisicaljca.telemetry.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.telemetry.KmsTelemetry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorder's arithmetic and its guards, without a server. */
class TelemetryRecorderTest {

    @Test
    void everyValueFallsInABucketThatHoldsItAndBucketsAreAtMostAnEighthWide() {
        for (long micros = 0; micros < 5_000_000; micros = micros < 64 ? micros + 1 : micros * 9 / 8) {
            int i = LatencyHistogram.index(micros);
            assertTrue(micros <= LatencyHistogram.upperBound(i), () -> "value above its bucket");
            if (i > 0) {
                assertTrue(micros > LatencyHistogram.upperBound(i - 1), () -> "value below its bucket");
            }
            long width = LatencyHistogram.upperBound(i) - (i == 0 ? -1 : LatencyHistogram.upperBound(i - 1));
            assertTrue(micros < 16 || width * 8 <= micros + 1, () -> "bucket too wide");
        }
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.index(Long.MAX_VALUE / 1000));
    }

    @Test
    void percentilesComeFromTheBucketsAndNeverExceedTheMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        assertArrayEquals(new double[] {0, 0}, h.percentilesMillis(0.5, 0.99));
        for (int i = 1; i <= 100; i++) {
            h.record(i * 1_000_000L); // 1 ms .. 100 ms
        }
        double[] p = h.percentilesMillis(0.5, 0.9, 0.99, 1.0);
        assertTrue(p[0] >= 50 && p[0] <= 50 * 1.125, () -> "p50 " + p[0]);
        assertTrue(p[1] >= 90 && p[1] <= 90 * 1.125, () -> "p90 " + p[1]);
        assertTrue(p[2] >= 99 && p[2] <= 100, () -> "p99 " + p[2]);
        assertEquals(100.0, p[3]);
        assertEquals(100.0, h.maxMillis());
    }

    @Test
    void callsAreCountedByOperationAndOutcomeWithTheirRetries() {
        TelemetryRecorder r = new TelemetryRecorder("test-1", EventSink.NONE);
        for (String outcome : List.of(KmsObserver.SUCCESS, KmsObserver.SUCCESS, "API")) {
            Trace t = r.callStarted("sign", "k");
            t.sending();
            if (outcome.equals("API")) {
                t.sending();
                t.sending();
            }
            r.callEnded(t, outcome);
        }
        r.loginEnded(r.loginStarted(), "first-login", false, true);
        r.loginEnded(r.loginStarted(), "expired", false, true);
        r.loginEnded(r.loginStarted(), "rejected", false, false);
        r.waitEnded(r.waitStarted(), "sign", "POST /x", 5);
        r.dataKeyCache(true);
        r.dataKeyCache(false);
        r.dataKeyCache(false);

        KmsTelemetry t = r.snapshot();
        KmsTelemetry.OperationStats sign = t.operation("sign");
        assertEquals(3, sign.calls());
        assertEquals(2, sign.successes());
        assertEquals(1, sign.failures());
        assertEquals(2, t.retries());
        assertEquals(1, t.relogins(), "neither the first login nor a failed one");
        assertEquals(1, t.rateLimitWaits());
        assertEquals(1, t.dataKeyCacheHits());
        assertEquals(2, t.dataKeyCacheMisses());
        assertNull(t.operation("verify"));
        String table = t.toString();
        assertTrue(table.startsWith("KMS client test-1\n"), table);
        assertTrue(table.contains("sign") && table.contains("re-logins 1"), table);
    }

    @Test
    void withoutJfrThereAreNoEventsAndWithoutJmxNoMBeanButTheRecorderWorks() {
        assertSame(EventSink.NONE, OptionalModules.events(false));
        TelemetryRecorder r = new TelemetryRecorder("test-2", OptionalModules.events(false));
        r.register(false);
        assertFalse(r.registered());
        Trace t = r.callStarted("sign", "k");
        assertNull(t.event);
        r.callEnded(t, KmsObserver.SUCCESS);
        assertEquals(1, r.snapshot().calls());
        r.close();
    }

    @Test
    void anInstanceNameWithCharactersObjectNameReservesIsQuoted() throws Exception {
        assertEquals("io.github.infisicaljca:type=KmsClient,name=kms.example.com-7",
                JmxRegistration.objectName("kms.example.com-7").toString());
        javax.management.ObjectName v6 = JmxRegistration.objectName("[::1]-8");
        assertEquals("\"[::1]-8\"", v6.getKeyProperty("name"));
        assertEquals("[::1]-8", javax.management.ObjectName.unquote(v6.getKeyProperty("name")));
    }

    @Test
    void aClientThatIsNotAKmsClientReportsNowhere() {
        assertSame(KmsObserver.NONE, TelemetryRecorder.of(new Object()));
        Object owner = new Object();
        TelemetryRecorder r = TelemetryRecorder.open(owner, "example.test");
        try {
            assertSame(r, TelemetryRecorder.of(owner));
            assertTrue(r.instance().startsWith("example.test-"), r.instance());
            assertTrue(r.registered());
        } finally {
            r.close();
        }
        assertFalse(r.registered());
    }
}
