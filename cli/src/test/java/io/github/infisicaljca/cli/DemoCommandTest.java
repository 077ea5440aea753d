package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void theTourRunsEveryStepWithoutConfigurationAndExitsZero() {
        CliRun r = CliRun.run(Map.of(), "", "demo");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err(), r::toString);
        String out = r.out();
        for (String expected : new String[] {"KeyStore", "INFISICAL-RSA", "SunRsaSign", "SHA256withECDSA",
                "INFISICAL-AES", "INFISICAL-ENVELOPE", "1048576 bytes", "audit seal", "tamper detected",
                "CN=signing-key", "all steps worked"}) {
            assertTrue(out.contains(expected), "the demo output lacks '" + expected + "':\n" + out);
        }
        for (String alias : new String[] {"signing-key", "ec-signing-key", "encryption-key", "hmac-key"}) {
            assertTrue(out.contains(alias), alias);
        }
        assertTrue(out.contains("picked provider 'Infisical'"), out);
        assertTrue(!out.contains("INVALID") && !out.contains("DIFFERENT") && !out.contains("(wrong!)"), out);
        // the provider is gone again
        assertNull(Security.getProvider(InfisicalProvider.NAME));
    }

    @Test
    void printsTheClientIdButNeverTheSecret() throws Exception {
        String secret = "demo-secret-" + UUID.randomUUID();
        String clientId = UUID.randomUUID().toString();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = DemoCommand.run(List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                KmsEmulator.builder().credentials(clientId, secret));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, out);
        assertTrue(out.contains("as client " + clientId), out);
        assertFalse(out.contains(secret), "the client secret is printed:\n" + out);
        assertFalse(out.contains("demo-secret"), out);
    }
}
