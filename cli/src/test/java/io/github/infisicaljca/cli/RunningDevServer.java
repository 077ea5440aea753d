package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A dev-server running in a test thread; its export lines are read up to the ready line. */
final class RunningDevServer implements AutoCloseable {
    final CountDownLatch stop = new CountDownLatch(1);
    final Map<String, String> exports = new LinkedHashMap<>();
    final List<String> lines = new ArrayList<>();
    final AtomicInteger exit = new AtomicInteger(-1);
    final Thread thread;

    RunningDevServer(String... args) throws Exception {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(in), true, StandardCharsets.UTF_8);
        thread = new Thread(() -> {
            try {
                exit.set(DevServerCommand.serve(List.of(args), out, stop, false));
            } catch (CliException e) {
                out.println("error: " + e.getMessage());
            } finally {
                out.close();
            }
        }, "dev-server-test");
        thread.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            lines.add(line);
            if (line.equals(DevServerCommand.READY)) {
                break;
            }
            if (line.startsWith("export ")) {
                String kv = line.substring("export ".length());
                int eq = kv.indexOf('=');
                String v = kv.substring(eq + 1);
                if (v.startsWith("'")) {
                    v = v.substring(1, v.length() - 1).replace("'\\''", "'");
                }
                exports.put(kv.substring(0, eq), v);
            }
        }
        assertEquals(DevServerCommand.READY, line, "no ready line: " + lines);
    }

    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join();
        assertEquals(0, exit.get());
    }
}
