/**
 * The audit integration: a byte-compatible Java port of the smart-logs audit CryptoService
 * (per-event seal and verify), its batch format, JSON Lines sealing and the configuration.
 *
 * <p>Its API takes and returns Jackson trees ({@code AuditEvent.of(ObjectNode)}) and the
 * provider's types ({@code Secret}, {@code InfisicalConfig}, the key handles), so both modules
 * are required transitively. Jackson is used through its tree model only, so nothing is opened.
 */
module io.github.infisicaljca.audit {
    requires transitive io.github.infisicaljca;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;

    exports io.github.infisicaljca.audit;
    exports io.github.infisicaljca.audit.batch;
    exports io.github.infisicaljca.audit.config;
    exports io.github.infisicaljca.audit.lines;
}
