package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsTheContractsCommandsAndMarksTheComingOnes() {
        for (String flag : new String[] {"--help", "help", "-h"}) {
            CliRun r = CliRun.run(Map.of(), "", flag);
            assertEquals(0, r.exit(), r::toString);
            assertEquals("", r.err());
            for (String c : new String[] {"demo", "dev-server [--port N]", "doctor", "keys", "sign --key K",
                    "verify --key K --signature FILE", "encrypt --key K", "decrypt --key K", "bench [--quick]",
                    "audit seal", "audit verify"}) {
                assertTrue(r.out().contains("  " + c), "help lacks " + c + ":\n" + r.out());
            }
            assertTrue(r.out().lines().filter(l -> l.startsWith("  bench")).allMatch(l -> l.endsWith("(coming)")));
            for (String available : new String[] {"  audit", "  demo", "  dev-server", "  doctor", "  keys", "  sign",
                "  verify", "  encrypt", "  decrypt"}) {
                assertTrue(r.out().lines().filter(l -> l.startsWith(available)).noneMatch(l -> l.contains("(coming)")),
                        available);
            }
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
    void aCommandNotImplementedYetSaysSo() {
        for (String c : new String[] {"bench"}) {
            CliRun r = CliRun.run(Map.of(), "", c);
            assertEquals(2, r.exit(), c);
            assertTrue(r.err().contains("'" + c + "' is not available yet"), r::toString);
        }
    }

    @Test
    void noArgumentsPrintsUsageToStderr() {
        CliRun r = CliRun.run(Map.of(), "");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("usage: infisical-jca"), r::toString);
    }
}
