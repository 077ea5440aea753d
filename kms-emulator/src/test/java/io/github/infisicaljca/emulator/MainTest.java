package io.github.infisicaljca.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone process's command line, read without starting a process. */
class MainTest {
    @Test
    void theDefaultsAreTheCurrentServerWithTheSelfHostedRateLimits() {
        Main.Options o = Main.parse(new String[0]);
        assertEquals(new Main.Options(null, ServerProfile.CURRENT, RateLimits.selfHostedDefault(), PayloadLimits.LEGACY_4096,
                null, false), o);
    }

    @Test
    void everyOptionIsRead() {
        Main.Options o = Main.parse(new String[] {"--port", "8099", "--profile", "2024", "--rate-limit", "10/3",
            "--payload-limit", "1mib", "--state-dir", "/tmp/x"});
        assertEquals(new Main.Options(8099, ServerProfile.INFISICAL_2024, RateLimits.perMinute(10, 3),
                PayloadLimits.MODERN_1_MIB, Path.of("/tmp/x"), false), o);
        assertNull(Main.parse(new String[] {"--rate-limit", "off"}).rateLimits(), "off lifts the limits");
        assertEquals(RateLimits.selfHostedDefault(), Main.parse(new String[] {"--rate-limit", "default"}).rateLimits());
        assertEquals(ServerProfile.CURRENT, Main.parse(new String[] {"--profile", "current"}).profile());
        assertTrue(Main.parse(new String[] {"--help"}).help());
    }

    @Test
    void badValuesAreRefusedSayingWhich() {
        assertMessage("--rate-limit: rate limits must be W/R", "--rate-limit", "fast");
        assertMessage("--profile must be current or 2024, not '2023'", "--profile", "2023");
        assertMessage("--port must be a number from 0 to 65535, not '70000'", "--port", "70000");
        assertMessage("--payload-limit must be 4096 or 1mib, not '2k'", "--payload-limit", "2k");
        assertMessage("--rate-limit needs a value", "--rate-limit");
        assertMessage("unknown option --verbose", "--verbose", "yes");
    }

    @Test
    void theUsageNamesEveryOption() {
        for (String option : new String[] {"--port N", "--profile current|2024", "--rate-limit W/R|default|off",
            "--payload-limit 4096|1mib", "--state-dir DIR"}) {
            assertTrue(Main.USAGE.contains(option), option);
        }
    }

    @Test
    void exportsOmitTheSigningKeyWhenTheProfileHasNone() {
        try (KmsEmulator current = KmsEmulator.builder().start()) {
            assertTrue(Main.exports(current).contains("export KMS_SIGNING_KEY_ID=" + current.signingKeyId()));
        }
        try (KmsEmulator old = KmsEmulator.builder().profile(ServerProfile.INFISICAL_2024).start()) {
            String exports = Main.exports(old);
            assertFalse(exports.contains("export KMS_SIGNING_KEY_ID"), exports);
            assertTrue(exports.contains("# no KMS_SIGNING_KEY_ID: the 2024 profile has no signing keys"), exports);
            assertTrue(exports.contains("export KMS_ENCRYPTION_KEY_ID=" + old.encryptionKeyId()), exports);
        }
    }

    @Test
    void withoutPortTheStateDirectorysPortIsUsed(@TempDir Path dir) {
        int port;
        try (KmsEmulator first = Main.parse(new String[] {"--state-dir", dir.toString()}).builder().start()) {
            port = first.port();
        }
        try (KmsEmulator second = Main.parse(new String[] {"--state-dir", dir.toString()}).builder().start()) {
            assertEquals(port, second.port());
        }
    }

    private static void assertMessage(String expectedStart, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.parse(args));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
