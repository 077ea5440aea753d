package io.github.infisicaljca.audit;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.audit.config.KmsConfig;
import io.github.infisicaljca.audit.config.SecurityConfig;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.KeyException;

/** Builds the {@link AuditCrypto} a {@link SecurityConfig} describes, on the Infisical provider. */
public final class AuditCryptoFactory {
    private AuditCryptoFactory() {
    }

    /**
     * @param config the configuration, for example from {@link io.github.infisicaljca.audit.config.AuditConfigFactory}
     * @return the service
     * @throws KeyException when a configured key cannot be had or is of the wrong kind (the
     *         message names the key and the server's answer)
     */
    public static AuditCrypto create(SecurityConfig config) throws KeyException {
        AuditCrypto.Builder b = AuditCrypto.builder().policy(config.fallbackPolicy());
        if (config.hmacSecret() != null) {
            b.hmac(HmacEventSigner.of(config.hmacSecret()));
        }
        KmsConfig kms = config.kms();
        if (kms.enabled()) {
            InfisicalProvider provider = new InfisicalProvider(kms.toProviderConfig());
            InfisicalKey signing = provider.key(kms.signingKeyId());
            if (!(signing instanceof InfisicalPrivateKey)) {
                String usage = signing.keyUsage().wireName();
                throw new KeyException("KMS_SIGNING_KEY_ID " + kms.signingKeyId() + (usage.startsWith("e") ? " is an "
                        : " is a ") + usage + " key, not a sign-verify key");
            }
            SigningAlgorithm algorithm = SigningAlgorithm.fromWire(kms.signingAlgorithm())
                    .orElseThrow(() -> new KeyException("unknown signing algorithm " + kms.signingAlgorithm()));
            b.kms(KmsEventSigner.of(provider, (InfisicalPrivateKey) signing, algorithm));
            if (config.enableLogEncryption() && kms.encryptionKeyId() != null) {
                InfisicalKey enc = provider.key(kms.encryptionKeyId());
                // An HMAC key is a secret-key handle too: the usage tells them apart.
                if (!(enc instanceof InfisicalSecretKey) || enc.keyUsage() != KeyUsage.ENCRYPT_DECRYPT) {
                    throw new KeyException("KMS_ENCRYPTION_KEY_ID " + kms.encryptionKeyId() + " is a "
                            + enc.keyUsage().wireName() + " key, not an encrypt-decrypt key");
                }
                b.encryption(new EventEncryption(provider, (InfisicalSecretKey) enc, provider.config().maxPayloadBytes()));
            }
        }
        return b.build();
    }
}
