package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KeyUsage;
import java.security.InvalidKeyException;
import java.security.Key;

/** The key checks the secret-key engines share: an Infisical handle, of the right usage. */
final class KeyChecks {
    private KeyChecks() {
    }

    static SecretKeyHandle secretHandle(String engine, Key key, KeyUsage usage) throws InvalidKeyException {
        if (!(key instanceof SecretKeyHandle)) {
            throw new InvalidKeyException(engine + " needs an Infisical secret-key handle (from the INFISICAL KeyStore), not "
                    + (key == null ? "null" : key.getClass().getName()));
        }
        SecretKeyHandle h = (SecretKeyHandle) key;
        if (h.keyUsage() != usage) {
            throw new InvalidKeyException(engine + " needs " + article(usage) + " key; key " + h.keyId() + " ("
                    + h.keyName() + ") is " + article(h.keyUsage()) + " key");
        }
        return h;
    }

    private static String article(KeyUsage usage) {
        return (usage.wireName().startsWith("e") ? "an " : "a ") + usage.wireName();
    }
}
