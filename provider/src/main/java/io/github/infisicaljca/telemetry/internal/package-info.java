/**
 * The machinery behind {@link io.github.infisicaljca.telemetry}: the hook the HTTP code calls
 * ({@link io.github.infisicaljca.telemetry.internal.KmsObserver}), the recorder that feeds the
 * counters, the JFR events and the MBean from it, and the guards that keep {@code jdk.jfr} and
 * {@code java.management} optional. Not exported.
 */
package io.github.infisicaljca.telemetry.internal;
