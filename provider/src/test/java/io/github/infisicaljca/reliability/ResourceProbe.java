package io.github.infisicaljca.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a leak would show: live threads, the JVM's open file descriptors, and the TCP
 * connections to one server port as the kernel lists them ({@code /proc/net/tcp*}, Linux).
 */
final class ResourceProbe {
    private static final String ESTABLISHED = "01";
    private static final String LISTEN = "0A";

    private ResourceProbe() {
    }

    /** The JVM's open file descriptors, or -1 where the platform does not say. */
    static long openFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            return ((com.sun.management.UnixOperatingSystemMXBean) os).getOpenFileDescriptorCount();
        }
        return -1;
    }

    /** CPU time of the whole JVM (every thread, the emulator's included), or -1. */
    static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }

    static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Names of live threads that are not in {@code before}, sorted. */
    static List<String> newThreadNames(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t)).map(Thread::getName)
                .sorted().collect(Collectors.toList());
    }

    /**
     * New threads that are not the provider's business: the emulator's request pool (it serves
     * the test, and its idle threads end after 30 s) and the JVM-wide common ForkJoinPool (the
     * JDK 21+ HttpClient uses it while shutting down; its idle workers end after 60 s).
     */
    static boolean isOutsideTheProvider(String threadName) {
        // CompletableFutureDelayScheduler: the JDK's one timer thread for orTimeout, started by
        // the first timed body of the JVM and kept for its life, whichever test came first.
        // Attach Listener: the JVM's, started when a tool on the machine (jcmd, jstack) attaches.
        return threadName.startsWith("kms-emulator-") || threadName.startsWith("ForkJoinPool.commonPool-worker-")
                || threadName.equals("CompletableFutureDelayScheduler") || threadName.equals("Attach Listener");
    }

    /** The new threads that {@link #isOutsideTheProvider} does not explain. */
    static List<String> unexplained(List<String> newThreads) {
        return newThreads.stream().filter(n -> !isOutsideTheProvider(n)).collect(Collectors.toList());
    }

    /** Threads of the JDK HttpClient ({@code HttpClient-<n>-SelectorManager}, {@code HttpClient-<n>-Worker-<m>}). */
    static List<String> httpClientThreads(List<String> names) {
        return names.stream().filter(n -> n.startsWith("HttpClient-")).collect(Collectors.toList());
    }

    static boolean canSeeConnections() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /**
     * The connections between clients and {@code serverPort} that the kernel still lists.
     *
     * @param established client-side sockets connected to the server now
     * @param clientPorts the client ports of every connection still listed in any state, TIME_WAIT included
     *                    (Linux keeps a closed connection there for 60 s, so within a minute this is every
     *                    connection opened, wherever the close started)
     */
    record Connections(int established, Set<Integer> clientPorts) {
    }

    static Connections connections(int serverPort) {
        int established = 0;
        Set<Integer> clientPorts = new TreeSet<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || LISTEN.equals(f[3])) {
                    continue;
                }
                int local = port(f[1]);
                int remote = port(f[2]);
                if (remote == serverPort) {
                    clientPorts.add(local);
                    if (ESTABLISHED.equals(f[3])) {
                        established++;
                    }
                } else if (local == serverPort) {
                    clientPorts.add(remote);
                }
            }
        }
        return new Connections(established, clientPorts);
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }
}
