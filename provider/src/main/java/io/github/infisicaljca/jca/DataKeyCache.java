package io.github.infisicaljca.jca;

import io.github.infisicaljca.telemetry.internal.KmsObserver;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The envelope's optional data-key cache, one per binding (so shared by every key handle of a
 * provider), used only when an {@link io.github.infisicaljca.EnvelopeParameterSpec} asks for
 * it. For encryption it holds the current data key of each KMS key; for decryption the data
 * keys recently unwrapped, by KMS key id <em>and</em> wrapped form.
 *
 * <p>An entry serves at most the spec's {@code maxMessages} messages and lives at most its
 * {@code maxAge} (itself at most {@link io.github.infisicaljca.EnvelopeParameterSpec#MAX_CACHE_AGE}),
 * whichever ends first; each side holds at most {@link #MAX_ENTRIES} keys, the least recently
 * used leaving first.
 *
 * <p>What a hit skips: the KMS call (the wrap on encryption, the unwrap on decryption), and with
 * it every check the server makes on that call: that the key still exists and is enabled, and
 * that the caller may still use it. A disabled key or a revoked permission therefore stops
 * cached data keys only when their entries expire. What a hit does not skip: the message's
 * own authentication (every segment's tag, under a key derived from the data key and the
 * message's salt), and the binding of a data key to its KMS key: a decryption entry is found
 * only under the KMS key that unwrapped it, so a message naming key B and carrying a data key
 * that key A wrapped goes to the KMS under B, which refuses it.
 */
final class DataKeyCache {
    /** Keys each side holds: more than a process uses at once, and bounded memory (a few hundred bytes each). */
    static final int MAX_ENTRIES = 256;

    /** A data key and its wrapped form. */
    record DataKey(byte[] plain, byte[] wrapped) {
    }

    private static final class Entry {
        final DataKey key;
        final long created;
        int uses = 1; // made for a message, which is its first use

        Entry(DataKey key, long created) {
            this.key = key;
            this.created = created;
        }
    }

    private final LongSupplier nanoClock;
    /** Told of every lookup: the hits and misses show in the client's telemetry. */
    private final KmsObserver observer;
    private final Map<String, Entry> encrypting = lru();
    private final Map<String, Entry> unwrapped = lru();

    DataKeyCache() {
        this(System::nanoTime);
    }

    DataKeyCache(KmsObserver observer) {
        this(System::nanoTime, observer);
    }

    /** @param nanoClock a {@link System#nanoTime()}-like clock (tests move it on instead of sleeping) */
    DataKeyCache(LongSupplier nanoClock) {
        this(nanoClock, KmsObserver.NONE);
    }

    DataKeyCache(LongSupplier nanoClock, KmsObserver observer) {
        this.nanoClock = nanoClock;
        this.observer = observer;
    }

    private static Map<String, Entry> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            // Qualified: inside a LinkedHashMap subclass a bare Entry is LinkedHashMap's own (JDK 25 javac).
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DataKeyCache.Entry> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }

    /** The cached data key for {@code kmsKeyId} if it may serve one more message, counting that use. */
    synchronized DataKey forEncryption(String kmsKeyId, int maxMessages, long maxAgeNanos) {
        return use(encrypting, id(kmsKeyId), maxMessages, maxAgeNanos);
    }

    synchronized void putForEncryption(String kmsKeyId, DataKey key) {
        encrypting.put(id(kmsKeyId), new Entry(key, nanoClock.getAsLong()));
    }

    /** The data key {@code kmsKeyId} unwrapped from {@code wrapped}, if cached and not spent, counting this use. */
    synchronized byte[] unwrapped(String kmsKeyId, byte[] wrapped, int maxUses, long maxAgeNanos) {
        DataKey k = use(unwrapped, slot(kmsKeyId, wrapped), maxUses, maxAgeNanos);
        return k == null ? null : k.plain();
    }

    /** Remembers what the KMS unwrapped, under the key that did it. */
    synchronized void putUnwrapped(String kmsKeyId, byte[] wrapped, byte[] plain) {
        unwrapped.put(slot(kmsKeyId, wrapped), new Entry(new DataKey(plain, wrapped), nanoClock.getAsLong()));
    }

    private DataKey use(Map<String, Entry> side, String slot, int maxUses, long maxAgeNanos) {
        DataKey found = lookUp(side, slot, maxUses, maxAgeNanos);
        observer.dataKeyCache(found != null);
        return found;
    }

    private DataKey lookUp(Map<String, Entry> side, String slot, int maxUses, long maxAgeNanos) {
        Entry e = side.get(slot);
        if (e == null) {
            return null;
        }
        if (e.uses >= maxUses || nanoClock.getAsLong() - e.created >= maxAgeNanos) {
            side.remove(slot);
            return null;
        }
        e.uses++;
        return e.key;
    }

    private static String id(String kmsKeyId) {
        return kmsKeyId.toLowerCase(Locale.ROOT);
    }

    private static String slot(String kmsKeyId, byte[] wrapped) {
        return id(kmsKeyId) + "/" + Base64.getEncoder().encodeToString(wrapped);
    }
}
