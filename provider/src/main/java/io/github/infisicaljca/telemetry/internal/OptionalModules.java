package io.github.infisicaljca.telemetry.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The guard for the two modules the provider uses only when they are there ({@code requires
 * static}): inside {@code jarsigner} or {@code keytool}, or in a jlink image without them, the
 * boot layer lacks {@code jdk.jfr} or {@code java.management}. Then there are no events or no
 * MBean, and the classes that name their types ({@link JfrEvents}, {@link JmxRegistration}) are
 * never loaded, so nothing fails to link.
 */
final class OptionalModules {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.telemetry");
    static final String JFR = "jdk.jfr";
    static final String JMX = "java.management";

    private OptionalModules() {
    }

    /** Whether {@code name} is in the boot layer (and so readable: the provider requires it statically). */
    static boolean present(String name) {
        return ModuleLayer.boot().findModule(name).isPresent();
    }

    /** JFR events when {@code jdk.jfr} is present, else none. */
    static EventSink events() {
        return events(present(JFR));
    }

    static EventSink events(boolean jfrPresent) {
        if (!jfrPresent) {
            LOG.log(Level.DEBUG, "module jdk.jfr is absent: no JFR events");
            return EventSink.NONE;
        }
        try {
            return new JfrEvents();
        } catch (LinkageError | RuntimeException e) {
            // A security manager's refusal, or an odd layer: events are a nicety, never a failure.
            LOG.log(Level.DEBUG, "JFR events unavailable: {0}", e.toString());
            return EventSink.NONE;
        }
    }
}
