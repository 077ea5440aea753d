package io.github.infisicaljca.emulator;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** All keys, by id. Names are unique within a project; writes that check names are serialised. */
final class KeyRegistry {
    private final Map<String, EmulatedKey> keys = new ConcurrentHashMap<>();
    private final String orgId;
    private final Clock clock;
    private volatile Runnable onChange = () -> { };

    KeyRegistry(String orgId, Clock clock) {
        this.orgId = orgId;
        this.clock = clock;
    }

    /** Page of a project's keys, with the count of all that match. */
    record Page(List<EmulatedKey> keys, int totalCount) {
    }

    synchronized EmulatedKey add(String projectId, String name, String description, KeySpec spec, Object material) {
        requireFreeName(projectId, name, null);
        Instant now = now();
        EmulatedKey key = new EmulatedKey(UUID.randomUUID().toString(), orgId, projectId, name, description, false,
                now, now, 1, spec, material);
        keys.put(key.id(), key);
        onChange.run();
        return key;
    }

    /** Puts back a key saved earlier (a restart with a state directory). */
    synchronized void restore(EmulatedKey key) {
        keys.put(key.id(), key);
    }

    /** Called after every change, under the registry's lock (the state file is written there). */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    String orgId() {
        return orgId;
    }

    EmulatedKey get(String id) {
        EmulatedKey k = keys.get(id.toLowerCase(Locale.ROOT));
        if (k == null) {
            throw ApiError.notFound("Key not found");
        }
        return k;
    }

    EmulatedKey byName(String projectId, String name) {
        return keys.values().stream().filter(k -> k.projectId().equals(projectId) && k.name().equals(name))
                .findFirst().orElseThrow(() -> ApiError.notFound("Key with name '" + name + "' not found"));
    }

    synchronized EmulatedKey update(String id, String name, String description, Boolean disabled) {
        EmulatedKey k = get(id);
        if (name != null) {
            requireFreeName(k.projectId(), name, id);
        }
        EmulatedKey updated = k.renamed(name, description, disabled, now());
        keys.put(id, updated);
        onChange.run();
        return updated;
    }

    synchronized EmulatedKey delete(String id) {
        EmulatedKey k = get(id);
        keys.remove(k.id());
        onChange.run();
        return k;
    }

    Page list(String projectId, int offset, int limit, boolean descending, String search) {
        Comparator<EmulatedKey> byName = Comparator.comparing(EmulatedKey::name);
        List<EmulatedKey> matching = new ArrayList<>();
        for (EmulatedKey k : keys.values()) {
            if (k.projectId().equals(projectId) && (search == null || k.name().contains(search))) {
                matching.add(k);
            }
        }
        matching.sort(descending ? byName.reversed() : byName);
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + limit, matching.size());
        return new Page(List.copyOf(matching.subList(from, to)), matching.size());
    }

    List<EmulatedKey> all() {
        return List.copyOf(keys.values());
    }

    private void requireFreeName(String projectId, String name, String exceptId) {
        for (EmulatedKey k : keys.values()) {
            if (k.projectId().equals(projectId) && k.name().equals(name) && !k.id().equals(exceptId)) {
                throw ApiError.badRequest("Key with name " + name + " already exists");
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
