package io.github.infisicaljca.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.telemetry.KmsTelemetry;
import io.github.infisicaljca.telemetry.internal.TelemetryRecorder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The Infisical KMS REST client: every call of the API reference, with explicit timeouts,
 * retries and authentication (see {@link RequestExecutor}). Thread-safe; make one per
 * configuration and share it. Knows HTTP and JSON, nothing of JCA.
 */
public final class KmsClient implements KmsOperations, AutoCloseable {
    static final int PAGE_SIZE = 100;
    /** One retry for a transient fault; a refused ciphertext stays refused (the 2024 server answers 500). */
    static final int DECRYPT_500_RETRIES = 1;

    private final InfisicalConfig config;
    private final HttpTransport transport;
    private final AuthApi auth;
    private final TokenSource tokens;
    private final RateLimiter limiter;
    private final RequestExecutor executor;
    private final TelemetryRecorder telemetry;
    /** Learned once: the server has no get-by-id route (2024), so getKey goes straight to the key list. */
    private volatile boolean noGetKeyRoute;
    /** Learned once: the server has no get-by-name route (2024). */
    private volatile boolean noGetByNameRoute;

    /**
     * @param nanoClock     the clock of token lifetimes
     * @param deadlineClock the clock of call deadlines, retry waits and rate-limit windows; a test's
     *                      sleeper can move it on instead of sleeping (I/O is timed on the system's clock)
     */
    private KmsClient(InfisicalConfig config, RequestExecutor.Sleeper sleeper, LongSupplier nanoClock,
            LongSupplier deadlineClock) {
        this.config = config;
        this.transport = new HttpTransport(config);
        RetryPolicy retry = RetryPolicy.standard(config.maxRetries());
        // One limiter for both executors: logins spend the same address's budget as key calls.
        this.telemetry = TelemetryRecorder.open(this, config.url().getHost());
        this.limiter = new RateLimiter(deadlineClock, sleeper, telemetry);
        telemetry.budgetsFrom(limiter::budgets); // not from this: the MBean must not hold the client
        this.auth = new AuthApi(new RequestExecutor(transport, null, retry, limiter, config.requestTimeout(), sleeper,
                deadlineClock, telemetry));
        this.tokens = config.authMethod() == InfisicalConfig.AuthMethod.UNIVERSAL_AUTH
                ? new UniversalAuthTokenSource(auth, config.clientId().orElseThrow(),
                        config.clientSecret().orElseThrow(), nanoClock, deadlineClock, telemetry)
                : new StaticTokenSource(config.accessToken().orElseThrow());
        this.executor = new RequestExecutor(transport, tokens, retry, limiter, config.requestTimeout(), sleeper,
                deadlineClock, telemetry);
    }

    /**
     * A client for the configuration; nothing is sent until the first call.
     *
     * @param config the configuration
     * @return the client; close it to release its connections
     */
    public static KmsClient create(InfisicalConfig config) {
        return new KmsClient(config, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000), System::nanoTime,
                System::nanoTime);
    }

    /** For tests: a sleeper that records, a clock for the token's lifetime that can be moved. */
    static KmsClient create(InfisicalConfig config, RequestExecutor.Sleeper sleeper, LongSupplier nanoClock) {
        return new KmsClient(config, sleeper, nanoClock, System::nanoTime);
    }

    /**
     * For tests: as above, with call deadlines, retry waits and the rate limiter on a clock of the
     * test's (one a sleeper moves on).
     */
    static KmsClient create(InfisicalConfig config, RequestExecutor.Sleeper sleeper, LongSupplier nanoClock,
            LongSupplier deadlineClock) {
        return new KmsClient(config, sleeper, nanoClock, deadlineClock);
    }

    /** {@return the configuration this client was made from} */
    public InfisicalConfig config() {
        return config;
    }

    /**
     * The rate limit of each route this client has used, as the server last announced it
     * (Infisical sends {@code x-ratelimit-*} headers on every answer of a limited route); a
     * route whose answers carried none shows no limit. Sorted by route.
     *
     * @return one budget per route used
     */
    public List<RequestBudget> requestBudgets() {
        return limiter.budgets();
    }

    /**
     * What this client did since it was created: calls, outcomes and latencies per operation,
     * retries, re-logins, rate-limit waits and budgets, data-key cache use. The same figures its
     * MBean {@code io.github.infisicaljca:type=KmsClient,name=<instance>} shows; see
     * {@code docs/observability.md}.
     *
     * @return an immutable snapshot
     */
    public KmsTelemetry telemetry() {
        return telemetry.snapshot();
    }

    // ---- keys ---------------------------------------------------------------------------

    /**
     * Creates a key (never retried: a retry could create two).
     *
     * @param request the key to create
     * @return the new key
     * @throws KmsException when the call fails
     */
    public KmsKey createKey(CreateKeyRequest request) throws KmsException {
        ObjectNode body = Json.object().put("projectId", request.projectId()).put("name", request.name());
        if (request.description() != null) {
            body.put("description", request.description());
        }
        if (request.keyUsage() != null) {
            body.put("keyUsage", request.keyUsage().wireName());
        }
        if (request.algorithm() != null) {
            // Older servers know only this name; newer ones still accept it.
            body.put("encryptionAlgorithm", request.algorithm());
        }
        return key(ApiCall.post("create-key", null, "/v1/kms/keys", body).notIdempotent());
    }

    /**
     * One page of a project's keys, ordered by name.
     *
     * @param projectId the project
     * @param offset keys to skip, at least 0
     * @param limit keys in the page, 1 to the server's page size
     * @param search a name filter, or null for all keys
     * @return the page, with the count of all matching keys
     * @throws KmsException when the call fails
     */
    public KeyPage listKeys(String projectId, int offset, int limit, String search) throws KmsException {
        requireText(projectId, "projectId");
        if (offset < 0 || limit < 1 || limit > PAGE_SIZE) {
            throw new IllegalArgumentException("offset must be >= 0 and limit 1.." + PAGE_SIZE);
        }
        String query = "?projectId=" + enc(projectId) + "&offset=" + offset + "&limit=" + limit
                + "&orderBy=name&orderDirection=asc" + (search == null ? "" : "&search=" + enc(search));
        Json.Reader r = read(ApiCall.get("list-keys", null, "/v1/kms/keys" + query));
        List<KmsKey> keys = new ArrayList<>();
        for (JsonNode k : r.array("keys")) {
            KmsKey key = KmsKey.read(r.wrap(k, "an element of 'keys'"));
            // A listing of another project (a proxy mix-up, a server bug) would put foreign keys in the KeyStore.
            if (key.projectId() != null && !key.projectId().equalsIgnoreCase(projectId)) {
                throw r.malformed("the listing of project " + projectId + " holds key " + key.id()
                        + " of another project (" + Json.quotedId(key.projectId()) + ")");
            }
            keys.add(key);
        }
        long total = r.number("totalCount");
        if (total < 0 || total > Integer.MAX_VALUE) {
            throw r.malformed("totalCount " + total + " is out of range");
        }
        return new KeyPage(keys, (int) total);
    }

    @Override
    public List<KmsKey> listKeys(String projectId) throws KmsException {
        List<KmsKey> all = new ArrayList<>();
        while (true) {
            KeyPage page = listKeys(projectId, all.size(), PAGE_SIZE, null);
            all.addAll(page.keys());
            // An empty page ends the walk even if totalCount disagrees, so it always ends.
            if (page.keys().isEmpty() || all.size() >= page.totalCount()) {
                return all;
            }
        }
    }

    /**
     * The key's metadata. Servers without the get-by-id route (2024) are served from the key list
     * of {@code infisical.projectId}; once a 404 "Route not found" showed that, the list is asked
     * directly, so a 2024 server is not sent a request it cannot answer for every lookup.
     */
    @Override
    public KmsKey getKey(String keyId) throws KmsException {
        checkId(keyId);
        if (!noGetKeyRoute || config.projectId().isEmpty()) {
            try {
                return key(ApiCall.get("get-key", keyId, "/v1/kms/keys/" + keyId));
            } catch (KmsApiException e) {
                if (!e.isRouteNotFound() || config.projectId().isEmpty()) {
                    throw e;
                }
                noGetKeyRoute = true;
            }
        }
        String projectId = config.projectId().get();
        return find(projectId, k -> k.id().equalsIgnoreCase(keyId), "get-key", keyId,
                "Key not found in project " + projectId + " (server without get-key route; searched the key list)");
    }

    /** By name, in one request where the server has the route; else (2024) from the project's key list. */
    @Override
    public KmsKey getKeyByName(String projectId, String name) throws KmsException {
        requireText(projectId, "projectId");
        requireText(name, "name");
        if (!noGetByNameRoute) {
            try {
                return key(ApiCall.get("get-key-by-name", null, "/v1/kms/keys/key-name/" + enc(name)
                        + "?projectId=" + enc(projectId)));
            } catch (KmsApiException e) {
                if (!e.isRouteNotFound()) {
                    throw e;
                }
                noGetByNameRoute = true;
            }
        }
        return find(projectId, k -> k.name().equals(name), "get-key-by-name", null, "no key named '" + name
                + "' in project " + projectId + " (server without get-by-name route; searched the key list)");
    }

    private KmsKey find(String projectId, Predicate<KmsKey> wanted, String operation, String keyId,
            String notFound) throws KmsException {
        for (KmsKey k : listKeys(projectId)) {
            if (wanted.test(k)) {
                return k;
            }
        }
        throw new KmsApiException(operation, keyId, 404, "NotFound", notFound, List.of(), null, null);
    }

    /**
     * Renames, describes, disables or enables a key.
     *
     * @param keyId the key
     * @param update the changes
     * @return the key as it now is
     * @throws KmsException when the call fails
     */
    public KmsKey updateKey(String keyId, KeyUpdate update) throws KmsException {
        ObjectNode body = Json.object();
        if (update.name() != null) {
            body.put("name", update.name());
        }
        if (update.description() != null) {
            body.put("description", update.description());
        }
        if (update.disabled() != null) {
            body.put("isDisabled", update.disabled());
        }
        return key(new ApiCall("update-key", checkId(keyId), "PATCH", "/v1/kms/keys/" + keyId, body, true, true));
    }

    /**
     * Deletes a key; what it encrypted can no longer be decrypted.
     *
     * @param keyId the key
     * @return the deleted key's last metadata
     * @throws KmsException when the call fails
     */
    public KmsKey deleteKey(String keyId) throws KmsException {
        return key(new ApiCall("delete-key", checkId(keyId), "DELETE", "/v1/kms/keys/" + keyId, null, true, true));
    }

    // ---- cryptographic operations -------------------------------------------------------

    @Override
    public byte[] encrypt(String keyId, byte[] plaintext) throws KmsException {
        checkPayload(plaintext, "plaintext", config.maxPayloadBytes());
        Json.Reader r = keyOp("encrypt", keyId, Json.object().put("plaintext", Json.base64(plaintext)));
        r.expectKeyId("keyId"); // today's servers name no key here; one that does must name this one
        return r.binary("ciphertext");
    }

    @Override
    public byte[] decrypt(String keyId, byte[] ciphertext) throws KmsException {
        checkPayload(ciphertext, "ciphertext", Integer.MAX_VALUE);
        checkId(keyId);
        ApiCall call = ApiCall.post("decrypt", keyId, "/v1/kms/keys/" + keyId + "/decrypt",
                Json.object().put("ciphertext", Json.base64(ciphertext))).limit500Retries(DECRYPT_500_RETRIES);
        Json.Reader r = read(call);
        r.expectKeyId("keyId");
        byte[] plaintext = r.binary("plaintext");
        if (plaintext.length >= ciphertext.length) {
            // An AEAD ciphertext is longer than its plaintext (IV and tag): this answer is not the decryption.
            throw r.malformed("a plaintext of " + plaintext.length + " bytes from a ciphertext of " + ciphertext.length);
        }
        return plaintext;
    }

    @Override
    public byte[] sign(String keyId, SigningAlgorithm algorithm, byte[] data, boolean isDigest) throws KmsException {
        Json.Reader r = keyOp("sign", keyId, signingBody(algorithm, data, isDigest));
        r.expectKeyId("keyId");
        return r.binary("signature");
    }

    @Override
    public boolean verify(String keyId, SigningAlgorithm algorithm, byte[] data, boolean isDigest, byte[] signature)
            throws KmsException {
        checkPayload(signature, "signature", Integer.MAX_VALUE);
        ObjectNode body = signingBody(algorithm, data, isDigest).put("signature", Json.base64(signature));
        Json.Reader r = keyOp("verify", keyId, body);
        r.expectKeyId("keyId");
        return r.bool("signatureValid");
    }

    @Override
    public byte[] publicKey(String keyId) throws KmsException {
        return read(ApiCall.get("public-key", checkId(keyId), "/v1/kms/keys/" + keyId + "/public-key"))
                .binary("publicKey");
    }

    @Override
    public List<String> signingAlgorithms(String keyId) throws KmsException {
        Json.Reader r = read(ApiCall.get("signing-algorithms", checkId(keyId),
                "/v1/kms/keys/" + keyId + "/signing-algorithms"));
        List<String> names = new ArrayList<>();
        for (JsonNode n : r.array("signingAlgorithms")) {
            if (!n.isTextual()) {
                throw r.malformed("an element of 'signingAlgorithms' is not a string");
            }
            names.add(n.textValue());
        }
        return List.copyOf(names);
    }

    @Override
    public byte[] generateMac(String keyId, byte[] data) throws KmsException {
        checkPayload(data, "data", config.maxPayloadBytes());
        Json.Reader r = keyOp("generate-mac", keyId, Json.object().put("data", Json.base64(data)));
        r.expectKeyId("keyId");
        return r.binary("mac");
    }

    @Override
    public boolean verifyMac(String keyId, byte[] data, byte[] mac) throws KmsException {
        checkPayload(data, "data", config.maxPayloadBytes());
        checkPayload(mac, "mac", Integer.MAX_VALUE);
        Json.Reader r = keyOp("verify-mac", keyId,
                Json.object().put("data", Json.base64(data)).put("mac", Json.base64(mac)));
        r.expectKeyId("keyId");
        return r.bool("macValid");
    }

    // ---- authentication -----------------------------------------------------------------

    /**
     * A Universal Auth login with the given machine identity (independent of this client's own token).
     *
     * @param clientId the identity's client id
     * @param clientSecret the identity's client secret
     * @return the new access token and its lifetimes
     * @throws KmsException when the login fails
     */
    public AuthToken login(String clientId, Secret clientSecret) throws KmsException {
        requireText(clientId, "clientId");
        return auth.login(clientId, clientSecret);
    }

    /**
     * Renews an access token within its maximum lifetime.
     *
     * @param accessToken the token to renew
     * @return the renewed token
     * @throws KmsException when the call fails, for example once the maximum lifetime has passed
     */
    public AuthToken renewToken(Secret accessToken) throws KmsException {
        return auth.renew(accessToken);
    }

    /**
     * Revokes an access token.
     *
     * @param accessToken the token to revoke
     * @throws KmsException when the call fails
     */
    public void revokeToken(Secret accessToken) throws KmsException {
        auth.revoke(accessToken);
    }

    /**
     * Revokes the token this client obtained by Universal Auth; a static token is left alone.
     *
     * @throws KmsException when the call fails
     */
    public void revokeOwnToken() throws KmsException {
        if (tokens instanceof UniversalAuthTokenSource) {
            ((UniversalAuthTokenSource) tokens).revokeCurrent();
        }
    }

    /** Unregisters the MBean; releases the connection pool where the JDK allows it (21+); safe to call twice. */
    @Override
    public void close() {
        telemetry.close();
        transport.close();
    }

    @Override
    public String toString() {
        return "KmsClient{" + config + "}";
    }

    // ---- plumbing -----------------------------------------------------------------------

    private Json.Reader read(ApiCall call) throws KmsException {
        return new Json.Reader(executor.execute(call), call.operation(), call.keyId());
    }

    private KmsKey key(ApiCall call) throws KmsException {
        return KmsKey.read(read(call).object("key"));
    }

    private Json.Reader keyOp(String operation, String keyId, ObjectNode body) throws KmsException {
        return read(ApiCall.post(operation, checkId(keyId), "/v1/kms/keys/" + keyId + "/" + operation, body));
    }

    private ObjectNode signingBody(SigningAlgorithm algorithm, byte[] data, boolean isDigest) {
        if (algorithm == null) {
            throw new IllegalArgumentException("a signing algorithm is required");
        }
        if (isDigest) {
            if (!algorithm.acceptsDigest()) {
                throw new IllegalArgumentException(algorithm + " cannot sign a precomputed digest: "
                        + "Infisical refuses digests for RSA-PSS; send the message itself");
            }
            if (data == null || data.length != algorithm.digestLength()) {
                throw new IllegalArgumentException("a " + algorithm.hashAlgorithm() + " digest has "
                        + algorithm.digestLength() + " bytes, not " + (data == null ? "null" : data.length));
            }
        } else {
            checkPayload(data, "data", config.maxPayloadBytes());
        }
        return Json.object().put("signingAlgorithm", algorithm.wireName()).put("isDigest", isDigest)
                .put("data", Json.base64(data));
    }

    private static void checkPayload(byte[] value, String what, int max) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("the " + what + " must not be empty: Infisical refuses empty values");
        }
        if (value.length > max) {
            throw new IllegalArgumentException("the " + what + " has " + value.length + " bytes, more than the "
                    + max + " of infisical.maxPayloadBytes");
        }
    }

    private static String checkId(String keyId) {
        requireText(keyId, "key id");
        if (!Json.isUuid(keyId)) {
            throw new IllegalArgumentException("key id '" + keyId + "' is not a UUID");
        }
        return keyId;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
