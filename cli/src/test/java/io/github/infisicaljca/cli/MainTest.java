package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsEveryCommandOfTheContract() {
        for (String flag : new String[] {"--help", "help", "-h"}) {
            CliRun r = CliRun.run(Map.of(), "", flag);
            assertEquals(0, r.exit(), r::toString);
            assertEquals("", r.err());
            for (String c : new String[] {"demo", "dev-server [--port N]", "doctor", "keys", "sign --key K",
                    "verify --key K --signature FILE", "csr --key K --subject DN", "encrypt --key K", "decrypt --key K", "bench [--quick]",
                    "audit seal", "audit verify"}) {
                assertTrue(r.out().contains("  " + c), "help lacks " + c + ":\n" + r.out());
            }
            assertTrue(r.out().lines().noneMatch(l -> l.contains("(coming)")), r.out());
        }
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        CliRun r = CliRun.run(Map.of(), "", "sael");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown command 'sael'"), r::toString);
        assertTrue(r.err().contains("--help"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void benchIsACommandWithItsOwnOptions() {
        CliRun help = CliRun.run(Map.of(), "", "bench", "--help");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().contains("usage: infisical-jca bench [--quick] [--out FILE]"), help::toString);

        CliRun bad = CliRun.run(Map.of(), "", "bench", "--quik");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("unknown option '--quik'"), bad::toString);
    }

    @Test
    void noArgumentsPrintsUsageToStderr() {
        CliRun r = CliRun.run(Map.of(), "");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("usage: infisical-jca"), r::toString);
    }
}
