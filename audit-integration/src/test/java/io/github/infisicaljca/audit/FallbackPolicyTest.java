package io.github.infisicaljca.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RateLimits;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures of the KMS each {@link FallbackPolicy} turns into an HMAC signature, and the downgrade guard. */
class FallbackPolicyTest {
    private static final String HMAC_SECRET = "fallback-secret-Ω-🔑";
    private static final String EVENT = "{\"timestamp\":\"2024-01-29T10:45:33.736Z\",\"action\":\"fhirPatientRead\","
            + "\"status\":\"success\",\"principalId\":\"user-7\",\"sessionContext\":{\"sessionId\":\"s9\"}}";
    /** Held strongly so the handler stays attached. */
    private static final Logger AUDIT_LOG = Logger.getLogger("io.github.infisicaljca.audit");

    private static AuditEmulator emu;
    private static InfisicalPrivateKey rsa;
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    enum Kms {
        OK(null, false),
        HTTP_503(Fault.status(503), true),
        HTTP_500(Fault.status(500), true),
        DROPPED(Fault.dropConnection(), true),
        HTTP_400(Fault.status(400), false),
        HTTP_403(Fault.status(403), false),
        HTTP_429(Fault.status(429), false),
        NOT_CONFIGURED(null, false);

        final Fault fault;
        /** What {@link AuditCryptoException#kmsUnavailable()} must say when the seal fails. */
        final boolean unavailable;

        Kms(Fault fault, boolean unavailable) {
            this.fault = fault;
            this.unavailable = unavailable;
        }
    }

    /** The expected outcome of sealing. */
    enum Outcome { KMS_SIGNATURE, HMAC_FALLBACK, FAILS, REFUSED_BY_BUILDER }

    static Outcome expected(FallbackPolicy policy, Kms kms) {
        if (kms == Kms.OK) {
            return Outcome.KMS_SIGNATURE;
        }
        if (kms == Kms.NOT_CONFIGURED) {
            return policy == FallbackPolicy.KMS_ONLY ? Outcome.REFUSED_BY_BUILDER : Outcome.HMAC_FALLBACK;
        }
        return policy == FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE && kms.unavailable ? Outcome.HMAC_FALLBACK
                : Outcome.FAILS;
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (FallbackPolicy p : FallbackPolicy.values()) {
            for (Kms k : Kms.values()) {
                out.add(Arguments.of(p, k, expected(p, k)));
            }
        }
        return out.stream();
    }

    @BeforeAll
    static void start() throws Exception {
        emu = new AuditEmulator();
        rsa = emu.rsaKey();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void attach() {
        emu.kms.clearFaults();
        emu.kms.clearRequests();
        AUDIT_LOG.addHandler(capture);
        AUDIT_LOG.setUseParentHandlers(false); // the expected warnings would only clutter the build log
    }

    @AfterEach
    void detach() {
        AUDIT_LOG.removeHandler(capture);
        AUDIT_LOG.setUseParentHandlers(true);
        emu.kms.clearFaults();
    }

    private static KmsEventSigner kms() {
        return KmsEventSigner.of(emu.provider, rsa, SigningAlgorithm.RSASSA_PSS_SHA_256);
    }

    private static HmacEventSigner hmac() {
        return HmacEventSigner.of(Secret.of(HMAC_SECRET));
    }

    private List<LogRecord> warnings() {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        }
    }

    /** A verifier that accepts both kinds, to check what a seal produced. */
    private static AuditCrypto verifier() {
        return AuditCrypto.builder().kms(kms()).hmac(hmac()).policy(FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE)
                .acceptedAlgorithms(Set.of("RSASSA_PSS_SHA_256", "HMAC-SHA256")).build();
    }

    @ParameterizedTest(name = "{0} with KMS {1}: {2}")
    @MethodSource("matrix")
    void theMatrix(FallbackPolicy policy, Kms state, Outcome outcome) throws Exception {
        // Every crypto holds the HMAC secret: under KMS_ONLY, holding it must not make it fall back.
        AuditCrypto.Builder b = AuditCrypto.builder().policy(policy).hmac(hmac());
        if (state != Kms.NOT_CONFIGURED) {
            b.kms(kms());
        }
        if (outcome == Outcome.REFUSED_BY_BUILDER) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
            assertTrue(e.getMessage().contains("KMS_ONLY"), e.getMessage());
            return;
        }
        AuditCrypto crypto = b.build();
        if (state.fault != null) {
            emu.kms.inject("POST", "/sign$", state.fault, 1);
        }
        AuditEvent event = AuditEvent.parse(EVENT);

        switch (outcome) {
            case KMS_SIGNATURE -> {
                AuditEvent sealed = crypto.seal(event);
                assertEquals("RSASSA_PSS_SHA_256", sealed.text("algorithm"));
                assertTrue(verifier().verify(sealed).valid());
                assertEquals(List.of(), warnings());
            }
            case HMAC_FALLBACK -> {
                AuditEvent sealed = crypto.seal(event);
                assertEquals("HMAC-SHA256", sealed.text("algorithm"));
                assertEquals(hmac().sign(EventHasher.generateHash(event)).signature(), sealed.text("signature"));
                Verification v = crypto.verify(sealed);
                assertTrue(v.valid(), v.reason());
                if (state == Kms.NOT_CONFIGURED) {
                    assertEquals(List.of(), emu.requests("POST", "/sign"));
                } else {
                    List<LogRecord> w = warnings();
                    assertEquals(1, w.size(), "one WARNING per fallback: " + w);
                    assertEquals(Level.WARNING, w.get(0).getLevel());
                    String text = new SimpleFormatter().formatMessage(w.get(0));
                    assertTrue(text.contains("HMAC_WHEN_KMS_UNAVAILABLE"), text);
                    assertTrue(text.contains(rsa.keyId()), "the warning names the key: " + text);
                    assertFalse(text.contains(HMAC_SECRET), text);
                }
            }
            case FAILS -> {
                AuditCryptoException e = assertThrows(AuditCryptoException.class, () -> crypto.seal(event));
                assertEquals(state.unavailable, e.kmsUnavailable(), e.getMessage());
                assertTrue(e.getMessage().contains(rsa.keyId()), e.getMessage());
                assertFalse(e.getMessage().contains(HMAC_SECRET));
                assertEquals(List.of(), warnings());
            }
            default -> throw new AssertionError(outcome);
        }
        if (state.fault != null) {
            // maxRetries(0): exactly one sign request per seal, the one that met the fault.
            List<RecordedRequest> signs = emu.requests("POST", "/sign");
            assertEquals(1, signs.size(), signs.toString());
            assertEquals(state == Kms.DROPPED ? 0 : Integer.parseInt(state.name().substring(5)),
                    signs.get(0).status());
        }
    }

    /**
     * A spent rate limit is the application's own request rate, not an outage: no policy turns
     * it into HMAC signatures, whether the server refused (429) or the provider refused unsent.
     */
    @Test
    void aSpentRateLimitIsNotAnOutageAndNoPolicyFallsBack() throws Exception {
        try (KmsEmulator limited = KmsEmulator.builder()
                .rateLimits(RateLimits.perWindow(1, 60, Duration.ofMinutes(1))).start()) {
            for (boolean serverRefuses : new boolean[] {false, true}) { // the second provider knows nothing yet
                // A ready token: a second login would meet the one-write limit on the login route first.
                InfisicalProvider provider = new InfisicalProvider(InfisicalConfig.builder().withoutAmbientSources()
                        .url(limited.url().toString()).accessToken(limited.issueToken())
                        .maxRetries(0).requestTimeout(Duration.ofSeconds(5)).build());
                InfisicalPrivateKey key = (InfisicalPrivateKey) provider.key(limited.signingKeyId());
                AuditCrypto crypto = AuditCrypto.builder().policy(FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE).hmac(hmac())
                        .kms(KmsEventSigner.of(provider, key, SigningAlgorithm.RSASSA_PSS_SHA_256)).build();
                AuditEvent event = AuditEvent.parse(EVENT);
                if (!serverRefuses) {
                    crypto.seal(event); // the window's one sign: its answer says none is left
                }
                int before = limited.requests().size();
                AuditCryptoException e = assertThrows(AuditCryptoException.class, () -> crypto.seal(event));
                assertFalse(e.kmsUnavailable(), e.getMessage());
                assertTrue(e.getMessage().contains("rate limited"), e.getMessage());
                assertEquals(serverRefuses ? 1 : 0, limited.requests().size() - before,
                        serverRefuses ? "the server's refusal" : "refused unsent: the provider knew the budget was spent");
                assertEquals(List.of(), warnings(), "no fallback, so no fallback warning");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = FallbackPolicy.class, names = {"HMAC_WHEN_KMS_DISABLED", "HMAC_WHEN_KMS_UNAVAILABLE"})
    void fallbackPoliciesNeedAnHmacSecret(FallbackPolicy policy) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditCrypto.builder().kms(kms()).policy(policy).build());
        assertTrue(e.getMessage().contains(policy.name()), e.getMessage());
    }

    @Test
    void kmsOnlyNeedsAKms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditCrypto.builder().hmac(hmac()).policy(FallbackPolicy.KMS_ONLY).build());
        assertTrue(e.getMessage().contains("KMS_ONLY"), e.getMessage());
        // KMS_ONLY is also the default policy.
        assertThrows(IllegalArgumentException.class, () -> AuditCrypto.builder().hmac(hmac()).build());
        assertThrows(IllegalArgumentException.class, () -> AuditCrypto.builder().build());
        assertThrows(NullPointerException.class, () -> AuditCrypto.builder().policy(null));
        assertEquals(FallbackPolicy.KMS_ONLY, AuditCrypto.builder().kms(kms()).build().policy());
    }

    @Test
    void defaultAcceptedAlgorithmsFollowThePolicy() {
        assertEquals(Set.of("RSASSA_PSS_SHA_256"), AuditCrypto.builder().kms(kms()).hmac(hmac()).build()
                .acceptedAlgorithms());
        assertEquals(Set.of("RSASSA_PSS_SHA_256", "HMAC-SHA256"), AuditCrypto.builder().kms(kms()).hmac(hmac())
                .policy(FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE).build().acceptedAlgorithms());
        assertEquals(Set.of("HMAC-SHA256"), AuditCrypto.builder().hmac(hmac())
                .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build().acceptedAlgorithms());
    }

    @Test
    void aBuilderBuiltTwiceWorksOutEachDefaultAfresh() throws Exception {
        AuditCrypto.Builder b = AuditCrypto.builder().kms(kms()).hmac(hmac());
        AuditCrypto strict = b.build();
        AuditCrypto lenient = b.policy(FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE).build();
        assertEquals(Set.of("RSASSA_PSS_SHA_256"), strict.acceptedAlgorithms());
        assertEquals(Set.of("RSASSA_PSS_SHA_256", "HMAC-SHA256"), lenient.acceptedAlgorithms());
        // So what the lenient one seals on fallback, it verifies.
        emu.kms.inject("POST", "/sign$", Fault.status(503), 1);
        AuditEvent sealed = lenient.seal(AuditEvent.parse(EVENT));
        assertEquals("HMAC-SHA256", sealed.text("algorithm"));
        assertTrue(lenient.verify(sealed).valid(), lenient.verify(sealed).reason());
        assertFalse(strict.verify(sealed).valid());
        // And the other way round: a second signer's algorithm replaces the first's default.
        AuditCrypto.Builder ec = AuditCrypto.builder().kms(kms());
        ec.build();
        AuditCrypto ecdsa = ec.kms(KmsEventSigner.of(emu.provider, emu.ecKey(), SigningAlgorithm.ECDSA_SHA_256)).build();
        assertEquals(Set.of("ECDSA_SHA_256"), ecdsa.acceptedAlgorithms());
        assertTrue(ecdsa.verify(ecdsa.seal(AuditEvent.parse(EVENT))).valid());
    }

    private static AuditEvent hmacSealed() throws AuditCryptoException {
        return AuditCrypto.builder().hmac(hmac()).policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build()
                .seal(AuditEvent.parse(EVENT));
    }

    @Test
    void downgradeGuardRejectsHmacWhereOnlyTheKmsAlgorithmIsAccepted() throws Exception {
        AuditEvent sealed = hmacSealed();
        assertEquals("HMAC-SHA256", sealed.text("algorithm"));
        List<AuditCrypto> strict = List.of(
                AuditCrypto.builder().kms(kms()).hmac(hmac()).build(),
                AuditCrypto.builder().kms(kms()).hmac(hmac()).policy(FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE)
                        .acceptedAlgorithms(Set.of("RSASSA_PSS_SHA_256")).build(),
                AuditCrypto.builder().kms(kms()).hmac(hmac()).policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED)
                        .acceptedAlgorithms(Set.of("RSASSA_PSS_SHA_256")).build());
        for (AuditCrypto crypto : strict) {
            Verification v = crypto.verify(sealed);
            assertFalse(v.valid(), crypto.toString());
            assertTrue(v.reason().contains("not accepted"), v.reason());
            assertFalse(v.reason().contains(HMAC_SECRET), v.reason());
            assertFalse(crypto.verifyEventSignature(sealed.text("hash"),
                    new EventSignature(sealed.text("signature"), "HMAC-SHA256")).valid());
        }
        // Naming HMAC-SHA256 explicitly accepts it.
        AuditCrypto lenient = AuditCrypto.builder().kms(kms()).hmac(hmac())
                .acceptedAlgorithms(Set.of("RSASSA_PSS_SHA_256", "HMAC-SHA256")).build();
        Verification v = lenient.verify(sealed);
        assertTrue(v.valid(), v.reason());
        assertFalse(lenient.verify(sealed.with("principalId", "user-8")).valid());
        assertFalse(lenient.verify(sealed.with("signature", hmac().sign("0".repeat(64)).signature())).valid());
    }

    @Test
    void acceptingHmacWithoutTheSecretIsStillNoSignature() throws Exception {
        AuditEvent sealed = hmacSealed();
        AuditCrypto noSecret = AuditCrypto.builder().kms(kms())
                .acceptedAlgorithms(Set.of("RSASSA_PSS_SHA_256", "HMAC-SHA256")).build();
        Verification v = noSecret.verify(sealed);
        assertFalse(v.valid());
        assertTrue(v.reason().contains("AUDIT_CRYPTO_SECRET"), v.reason());
        AuditCrypto otherSecret = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of(HMAC_SECRET + "2")))
                .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();
        assertFalse(otherSecret.verify(sealed).valid());
    }

    @Test
    void aKmsSealedEventIsNotAcceptedByAnHmacOnlyVerifier() throws Exception {
        AuditEvent sealed = AuditCrypto.builder().kms(kms()).build().seal(AuditEvent.parse(EVENT));
        Verification v = AuditCrypto.builder().hmac(hmac()).policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build()
                .verify(sealed);
        assertFalse(v.valid());
        assertTrue(v.reason().contains("not accepted"), v.reason());
    }

    @Test
    void toStringMasksTheSecret() {
        String shown = AuditCrypto.builder().kms(kms()).hmac(hmac()).policy(FallbackPolicy.HMAC_WHEN_KMS_UNAVAILABLE)
                .build().toString() + hmac();
        assertFalse(shown.contains(HMAC_SECRET), shown);
        assertTrue(shown.contains("***MASKED***"), shown);
    }
}
