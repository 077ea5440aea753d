package io.github.infisicaljca.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import java.security.Security;
import org.junit.jupiter.api.Test;

/**
 * The TLS benchmark measures what it claims: full TLS 1.3 handshakes, one remote signature per
 * side for each with KMS keys (so none resumes a session), none with the ordinary keys; and its
 * figure has the report's shape. Speed is not checked here.
 */
class TlsHandshakeBenchmarkTest {

    @Test
    void eachKmsHandshakeSignsOncePerSideAndTheBaselineNever() throws Exception {
        try (TlsHandshakeBenchmark b = TlsHandshakeBenchmark.start()) {
            KmsEmulator kms = b.fixture().kms();
            int start = kms.requests().size();
            for (int i = 0; i < 3; i++) {
                b.kms().run();
            }
            assertEquals("TLSv1.3", b.kms().protocol());
            assertEquals(3, b.kms().handshakes());
            assertEquals(3, signs(kms, TlsHandshakeBenchmark.SERVER));
            assertEquals(3, signs(kms, TlsHandshakeBenchmark.CLIENT));
            // Nothing else per handshake: no key lookups, which a server allows 60 a minute.
            assertEquals(6, kms.requests().size() - start, kms.requests().subList(start, kms.requests().size())
                    .toString());

            int before = kms.requests().size();
            b.ordinary().run();
            b.ordinary().run();
            assertEquals("TLSv1.3", b.ordinary().protocol());
            assertEquals(2, b.ordinary().handshakes());
            assertEquals(before, kms.requests().size(), "the baseline must not reach the KMS");
        }
    }

    @Test
    void theFigureHasTheReportShapeAndLeavesNoProviderBehind() throws Exception {
        Figure f = TlsHandshakeBenchmark.figure(BenchSettings.SMOKE);
        assertEquals("tls_handshakes_per_second", f.key());
        assertTrue(f.value() > 0, f.toString());
        assertTrue(f.target().atLeast());
        assertEquals(200 / 60.0, f.target().bound(), 1e-9);
        assertTrue(f.numerator().startsWith("KMS keys on both sides: "), f.numerator());
        assertTrue(f.denominator().contains("handshakes/s"), f.denominator());
        assertTrue(f.inputs().contains("TLS 1.3"), f.inputs());
        assertEquals(null, Security.getProvider("Infisical"), "the provider is registered only while measuring");
    }

    private static long signs(KmsEmulator kms, String name) {
        String route = "/" + kms.keyId(name) + "/sign";
        return kms.requests().stream().filter(r -> r.method().equals("POST") && r.route().endsWith(route))
                .filter(r -> r.status() == 200).map(RecordedRequest::body)
                .filter(body -> body.contains("\"RSASSA_PSS_SHA_256\"")).count();
    }
}
