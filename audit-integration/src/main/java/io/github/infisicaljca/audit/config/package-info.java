/**
 * The audit integration's configuration: {@link io.github.infisicaljca.audit.config.SecurityConfig}
 * and {@link io.github.infisicaljca.audit.config.KmsConfig} (immutable, validated records) and
 * {@link io.github.infisicaljca.audit.config.AuditConfigFactory}, which builds them per
 * environment from environment variables. Secrets are {@link io.github.infisicaljca.Secret}s and
 * every view of the configuration masks them.
 */
package io.github.infisicaljca.audit.config;
