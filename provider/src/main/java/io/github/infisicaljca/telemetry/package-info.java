/**
 * What a {@link io.github.infisicaljca.kms.KmsClient} did, for people and tools: the
 * {@link io.github.infisicaljca.telemetry.KmsTelemetry} snapshot
 * ({@link io.github.infisicaljca.kms.KmsClient#telemetry()}) and the
 * {@link io.github.infisicaljca.telemetry.KmsClientMXBean} each client registers in the
 * platform MBean server as {@code io.github.infisicaljca:type=KmsClient,name=<instance>}.
 * The client also emits the JFR events {@code io.github.infisicaljca.KmsCall},
 * {@code io.github.infisicaljca.Relogin} and {@code io.github.infisicaljca.RateLimitWait}.
 *
 * <p>None of it ever holds a secret: no token, client secret, key material or payload; key ids,
 * operation names, routes and figures only. See {@code docs/observability.md}.
 */
package io.github.infisicaljca.telemetry;
