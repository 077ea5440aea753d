package io.github.infisicaljca.jca;

import static io.github.infisicaljca.jca.EnvelopeSupport.ALGORITHM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.telemetry.KmsTelemetry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import javax.crypto.Cipher;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's MXBean, read through the platform MBean server as jconsole or an exporter would,
 * after real operations through the provider against the emulator: exact counts where the
 * operations make them deterministic, and the same figures in {@link KmsClient#telemetry()}.
 */
class TelemetryJmxTest {
    private static final byte[] DATA = "counted, not kept".getBytes(StandardCharsets.UTF_8);
    private static final String MISSING = "00000000-0000-4000-8000-000000000000";
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private EmulatorFixture f;
    private KmsClient client;
    private InfisicalProvider provider;
    private ObjectName name;

    @BeforeEach
    void start() throws Exception {
        f = new EmulatorFixture();
        // Write routes limited, so the budgets show; far more than this test spends.
        f.kms.rateLimits(RateLimits.perMinute(100, 60));
        client = KmsClient.create(f.config().build());
        provider = new InfisicalProvider(client);
        name = new ObjectName("io.github.infisicaljca:type=KmsClient,name=" + client.telemetry().instance());
    }

    @AfterEach
    void stop() {
        client.close();
        f.close();
    }

    private Object attribute(String attribute) throws Exception {
        return server.getAttribute(name, attribute);
    }

    /** An MXBean's {@code Map<String, V>} arrives as TabularData of key/value rows. */
    private Object entry(String attribute, String key) throws Exception {
        TabularData table = (TabularData) attribute(attribute);
        CompositeData row = table.get(new Object[] {key});
        return row == null ? null : row.get("value");
    }

    @Test
    void theMBeanCountsCallsOutcomesRetriesLatenciesBudgetsAndCacheUse() throws Exception {
        assertTrue(server.isRegistered(name), name.toString());
        assertTrue(client.telemetry().instance().startsWith(f.kms.url().getHost() + "-"));

        PrivateKey signingKey = (PrivateKey) provider.key(f.kms.signingKeyId());
        f.kms.inject("POST", "/sign$", Fault.status(503), 1); // the first signature needs a retry
        for (int i = 0; i < 3; i++) {
            Signature s = Signature.getInstance("SHA256withRSA", provider);
            s.initSign(signingKey);
            s.update(DATA);
            s.sign();
        }
        assertThrows(KmsApiException.class, () -> client.getKey(MISSING));

        Key aes = provider.key(f.kms.encryptionKeyId());
        EnvelopeParameterSpec cached = EnvelopeParameterSpec.builder().dataKeyCache(10, Duration.ofMinutes(5)).build();
        byte[] first = envelope(Cipher.ENCRYPT_MODE, aes, cached, DATA); // miss: wraps a data key
        byte[] second = envelope(Cipher.ENCRYPT_MODE, aes, cached, DATA); // hit
        assertArrayEquals(DATA, envelope(Cipher.DECRYPT_MODE, aes, cached, first)); // miss: unwraps
        assertArrayEquals(DATA, envelope(Cipher.DECRYPT_MODE, aes, cached, second)); // hit: the same data key

        assertEquals(3L, entry("CallsByOutcome", "sign/SUCCESS"));
        assertEquals(1L, entry("CallsByOutcome", "get-key/API"));
        assertEquals(1L, entry("CallsByOutcome", "encrypt/SUCCESS"));
        assertEquals(1L, entry("CallsByOutcome", "decrypt/SUCCESS"));
        assertEquals(1L, entry("CallsByOutcome", "login/SUCCESS"));
        assertEquals(1L, attribute("Failures"));
        assertEquals(1L, attribute("Retries"));
        assertEquals(0L, attribute("Relogins"));
        assertEquals(0L, attribute("RateLimitWaits"));
        assertEquals(2L, attribute("DataKeyCacheHits"));
        assertEquals(2L, attribute("DataKeyCacheMisses"));

        double p50 = (Double) entry("LatencyP50Millis", "sign");
        double p99 = (Double) entry("LatencyP99Millis", "sign");
        double max = (Double) entry("LatencyMaxMillis", "sign");
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= max, p50 + " " + p99 + " " + max);

        String signRoute = "POST /v1/kms/keys/{keyId}/sign";
        assertEquals(100L, entry("RateLimitLimit", signRoute));
        // Four sign requests (the refused attempt counted too) of the window's 100.
        assertEquals(96L, entry("RateLimitRemaining", signRoute));

        KmsTelemetry t = client.telemetry();
        assertEquals(attribute("Calls"), t.calls());
        assertEquals(3, t.operation("sign").successes());
        assertEquals(2, t.dataKeyCacheHits());
        assertEquals(t.calls(), provider.telemetry().calls(), "the provider reports its client's figures");
        assertEquals(t.instance(), provider.telemetry().instance());
        String table = (String) attribute("Summary");
        assertTrue(table.contains("sign") && table.contains("retries 1"), table);
        assertFalse(table.contains(f.kms.clientSecret()));
    }

    @Test
    void closingTheClientUnregistersItsMBean() throws Exception {
        assertTrue(server.isRegistered(name));
        client.close();
        assertFalse(server.isRegistered(name));
        client.close(); // twice is harmless
    }

    @Test
    void everyClientHasItsOwnInstance() throws Exception {
        try (KmsClient other = KmsClient.create(f.config().build())) {
            String instance = other.telemetry().instance();
            assertNotNull(instance);
            assertFalse(instance.equals(client.telemetry().instance()));
            assertTrue(server.isRegistered(new ObjectName("io.github.infisicaljca:type=KmsClient,name=" + instance)));
        }
    }

    private byte[] envelope(int mode, Key key, EnvelopeParameterSpec spec, byte[] input) throws Exception {
        Cipher c = Cipher.getInstance(ALGORITHM, provider);
        c.init(mode, key, spec);
        return c.doFinal(input);
    }
}
