package io.github.infisicaljca.telemetry.internal;

import io.github.infisicaljca.telemetry.KmsClientMXBean;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers a client's MXBean in the platform MBean server, and takes it out again. The only
 * class that names {@code java.management} types; loaded only when that module is present.
 */
final class JmxRegistration implements AutoCloseable {
    static final String DOMAIN = "io.github.infisicaljca";

    private final MBeanServer server;
    private final ObjectName name;

    private JmxRegistration(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /** The ObjectName of instance {@code instance}, its name quoted when it holds a character ObjectName reserves. */
    static ObjectName objectName(String instance) throws JMException {
        boolean plain = instance.chars().noneMatch(c -> ":,=*?\"\\\n".indexOf(c) >= 0);
        return new ObjectName(DOMAIN + ":type=KmsClient,name=" + (plain ? instance : ObjectName.quote(instance)));
    }

    /**
     * Registers {@code bean}.
     *
     * @throws JMException when the server refuses (a name taken, a security manager)
     */
    static JmxRegistration register(String instance, KmsClientMXBean bean) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(instance);
        // StandardMBean with the interface named: the implementation need not be public or exported.
        server.registerMBean(new StandardMBean(bean, KmsClientMXBean.class, true), name);
        return new JmxRegistration(server, name);
    }

    String name() {
        return name.toString();
    }

    @Override
    public void close() throws JMException {
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }
}
