package auditconsumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.KmsEventSigner;
import io.github.infisicaljca.audit.Verification;
import io.github.infisicaljca.kms.SigningAlgorithm;

/**
 * Seals an audit event with a KMS key and verifies it, then verifies an altered copy. The
 * provider and Jackson types it uses are readable through the audit module's
 * {@code requires transitive}. Configured by the {@code infisical.*} system properties;
 * {@code consumer.keyName} names the RSA signing key.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        System.out.println("module " + AuditCrypto.class.getModule().getName());
        InfisicalProvider provider = new InfisicalProvider();
        InfisicalPrivateKey key = (InfisicalPrivateKey) provider.keyByName(System.getProperty("consumer.keyName"));
        AuditCrypto crypto = AuditCrypto.builder()
                .kms(KmsEventSigner.of(provider, key, SigningAlgorithm.RSASSA_PSS_SHA_256)).build();

        ObjectNode fields = AuditEvent.of("2026-01-01T00:00:00.000Z", "user.login", "success").json();
        fields.put("principalId", "alice");
        AuditEvent sealed = crypto.seal(AuditEvent.of(fields));
        System.out.println("sealed " + sealed.text(AuditEvent.ALGORITHM) + " " + sealed.text(AuditEvent.HASH_ALGORITHM));
        Verification valid = crypto.verify(sealed);
        ObjectNode altered = sealed.json();
        altered.put("principalId", "mallory");
        Verification tampered = crypto.verify(AuditEvent.of(altered));
        System.out.println("verify " + valid.valid() + " tampered " + tampered.valid());
        if (!valid.valid() || tampered.valid()) {
            throw new AssertionError("audit verification: " + valid + " / " + tampered);
        }
        System.out.println("done");
    }
}
