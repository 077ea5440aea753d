package io.github.infisicaljca.jca;

import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The envelope's optional data-key cache, one per binding: for encryption the current data
 * key of each KMS key (until it has served its messages or aged out); for decryption the
 * data keys recently unwrapped, by wrapped form. Used only when an
 * {@link io.github.infisicaljca.EnvelopeParameterSpec} asks for it.
 */
final class DataKeyCache {
    private static final int MAX_UNWRAPPED = 256;

    /** A data key and its wrapped form. */
    record DataKey(byte[] plain, byte[] wrapped) {
    }

    private static final class CachedKey {
        final DataKey key;
        final long created;
        int uses;

        CachedKey(DataKey key, long created) {
            this.key = key;
            this.created = created;
        }
    }

    private final Map<String, CachedKey> encrypting = new HashMap<>();
    private final Map<String, CachedKey> unwrapped = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedKey> eldest) {
            return size() > MAX_UNWRAPPED;
        }
    };

    /** The cached data key for {@code kmsKeyId} if it may serve one more message, counting that use. */
    synchronized DataKey forEncryption(String kmsKeyId, int maxMessages, long maxAgeNanos) {
        CachedKey e = encrypting.get(kmsKeyId);
        if (e == null || e.uses >= maxMessages || System.nanoTime() - e.created >= maxAgeNanos) {
            encrypting.remove(kmsKeyId);
            return null;
        }
        e.uses++;
        return e.key;
    }

    synchronized void putForEncryption(String kmsKeyId, DataKey key) {
        CachedKey e = new CachedKey(key, System.nanoTime());
        e.uses = 1;
        encrypting.put(kmsKeyId, e);
    }

    synchronized byte[] unwrapped(byte[] wrapped, long maxAgeNanos) {
        String id = Base64.getEncoder().encodeToString(wrapped);
        CachedKey e = unwrapped.get(id);
        if (e == null || System.nanoTime() - e.created >= maxAgeNanos) {
            unwrapped.remove(id);
            return null;
        }
        return e.key.plain();
    }

    synchronized void putUnwrapped(byte[] wrapped, byte[] plain) {
        unwrapped.put(Base64.getEncoder().encodeToString(wrapped), new CachedKey(new DataKey(plain, wrapped), System.nanoTime()));
    }
}
