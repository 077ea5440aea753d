package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import io.github.infisicaljca.kms.KmsOperations;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A project's keys, read page by page and kept for a minute. A refresh that fails keeps the
 * previous listing (and logs why) rather than emptying the KeyStore under its users. Keys
 * outside the project, looked up by id, are kept (or known to be unknown) just as long: every
 * read spends the server's scarcest budget (60 a minute by default).
 */
final class KeyListing {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.jca");
    static final Duration MAX_AGE = Duration.ofMinutes(1);
    /** Key ids are UUIDs: only such an alias is worth asking the server about. */
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    private final KmsOperations operations;
    private final String projectId;
    private volatile Map<String, KmsKey> byName = Map.of();
    private volatile Map<String, KmsKey> byId = Map.of();
    private final Map<String, Optional<KmsKey>> outside = new ConcurrentHashMap<>();
    private volatile long loadedAt;

    KeyListing(KmsOperations operations, String projectId) {
        this.operations = operations;
        this.projectId = projectId;
    }

    void refresh() throws KmsException {
        List<KmsKey> keys = operations.listKeys(projectId);
        Map<String, KmsKey> names = new TreeMap<>();
        Map<String, KmsKey> ids = new TreeMap<>();
        for (KmsKey k : keys) {
            names.put(k.name(), k);
            ids.put(k.id().toLowerCase(Locale.ROOT), k);
        }
        byName = names;
        byId = ids;
        outside.clear();
        loadedAt = System.nanoTime();
    }

    void refreshIfStale() {
        if (System.nanoTime() - loadedAt < MAX_AGE.toNanos()) {
            return;
        }
        try {
            refresh();
        } catch (KmsException e) {
            LOG.log(Level.WARNING, "re-reading the keys of project {0} failed; keeping the previous listing: {1}",
                    projectId, e.getMessage());
            loadedAt = System.nanoTime(); // wait a full period before trying again
        }
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    KmsKey byName(String name) {
        return byName.get(name);
    }

    KmsKey byId(String id) {
        return byId.get(id.toLowerCase(Locale.ROOT));
    }

    /**
     * A KeyStore alias: a key name first, then a key id, in the listing, else asked of the server
     * (keys of other projects).
     *
     * @return the key, or null when the alias names none
     */
    KmsKey find(String alias) throws KmsException {
        KmsKey key = byName(alias);
        if (key != null || !KEY_ID.matcher(alias).matches()) {
            return key;
        }
        key = byId(alias);
        return key != null ? key : outside(alias);
    }

    /** A key not in the listing, by id: asked of the server once per listing; null when it has none. */
    KmsKey outside(String id) throws KmsException {
        String lower = id.toLowerCase(Locale.ROOT);
        Optional<KmsKey> known = outside.get(lower);
        if (known == null) {
            try {
                known = Optional.of(operations.getKey(id));
            } catch (KmsApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                known = Optional.empty();
            }
            outside.put(lower, known);
        }
        return known.orElse(null);
    }
}
