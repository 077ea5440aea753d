/** An application sealing audit events on the module path: it needs only the audit module. */
module auditconsumer {
    requires io.github.infisicaljca.audit;
}
