package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.kms.KeyUsage;
import java.security.InvalidKeyException;
import java.security.Key;

/** The key checks the secret-key engines share: an Infisical handle, of the right usage. */
final class KeyChecks {
    private KeyChecks() {
    }

    /**
     * The handle, if it is one of {@code usage}. Every Infisical handle reaches the engines (the
     * services declare them all), so a handle of another usage is refused here by name, not by
     * the JCA's "No installed provider supports this key".
     */
    static SecretKeyHandle secretHandle(String engine, Key key, KeyUsage usage) throws InvalidKeyException {
        if (key instanceof InfisicalKey) {
            InfisicalKey h = (InfisicalKey) key;
            if (h instanceof SecretKeyHandle && h.keyUsage() == usage) {
                return (SecretKeyHandle) h;
            }
            throw new InvalidKeyException("key " + h.keyName() + " (" + h.keyId() + ") is " + article(h.keyUsage())
                    + " key" + (h.kmsAlgorithm() == null ? "" : " (" + h.kmsAlgorithm() + ")") + "; " + engine + " needs "
                    + article(usage) + " key");
        }
        throw new InvalidKeyException(engine + " needs an Infisical secret-key handle (from the INFISICAL KeyStore) of "
                + article(usage) + " key, not " + (key == null ? "null" : key.getClass().getName()));
    }

    private static String article(KeyUsage usage) {
        return (usage.wireName().startsWith("e") ? "an " : "a ") + usage.wireName();
    }
}
