package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The API itself: the route table, the bearer check, bodies and queries validated, and key
 * management. The cryptographic calls are in {@link CryptoOperations}. Answers are JSON trees;
 * failures are {@link ApiError}s.
 */
final class KmsApi {
    private static final String KEYS = "/api/v1/kms/keys";
    private static final String KEY = KEYS + "/:keyId";

    private final KeyRegistry keys;
    private final TokenAuthority auth;
    private final CryptoOperations crypto;
    private final ServerProfile profile;
    private final Set<String> projects;
    private final List<Route> routes;

    KmsApi(KeyRegistry keys, TokenAuthority auth, CryptoOperations crypto, ServerProfile profile,
            Set<String> projects) {
        this.keys = keys;
        this.auth = auth;
        this.crypto = crypto;
        this.profile = profile;
        this.projects = projects;
        this.routes = routes();
    }

    /** The routes this profile's server has; any other request is a 404 "Route ... not found". */
    private List<Route> routes() {
        List<Route> r = new ArrayList<>();
        r.add(new Route("POST", "/api/v1/auth/universal-auth/login", false, c -> {
            RequestBody b = body(c);
            String clientId = b.string("clientId");
            String clientSecret = b.string("clientSecret");
            b.check();
            return grant(auth.login(clientId, clientSecret));
        }));
        r.add(new Route("POST", "/api/v1/auth/token/renew", false, c -> grant(auth.renew(accessToken(c)))));
        r.add(new Route("POST", "/api/v1/auth/token/revoke", false, c -> {
            auth.revoke(accessToken(c));
            return HttpFront.JSON.createObjectNode().put("message", "Successfully revoked access token");
        }));
        r.add(new Route("POST", KEYS, true, c -> keyAnswer(create(body(c)))));
        r.add(new Route("GET", KEYS, true, c -> list(c.query())));
        if (profile.keyLookupRoutes) {
            // Before GET :keyId/..., as the server's router prefers the static segment.
            r.add(new Route("GET", KEYS + "/key-name/:keyName", true, this::byName));
            r.add(new Route("GET", KEY, true, c -> keyAnswer(keys.get(keyId(c)))));
        }
        r.add(new Route("PATCH", KEY, true, c -> keyAnswer(update(keyId(c), body(c)))));
        r.add(new Route("DELETE", KEY, true, c -> keyAnswer(keys.delete(keyId(c)))));
        List<String> ops = profile.signingAndMacKeys()
                ? List.of("encrypt", "decrypt", "sign", "verify", "generate-mac", "verify-mac")
                : List.of("encrypt", "decrypt");
        for (String op : ops) {
            r.add(new Route("POST", KEY + "/" + op, true, c -> crypto.operate(op, keys.get(keyId(c)), body(c))));
        }
        if (profile.signingAndMacKeys()) {
            r.add(new Route("GET", KEY + "/public-key", true, c -> crypto.publicKey(keys.get(keyId(c)))));
            r.add(new Route("GET", KEY + "/signing-algorithms", true,
                    c -> crypto.signingAlgorithms(keys.get(keyId(c)))));
        }
        return List.copyOf(r);
    }

    /** The route a request is for, or null when the server has none. */
    Route.Match resolve(String method, String rawPath) {
        return Route.resolve(routes, method, rawPath);
    }

    /**
     * Runs a resolved request: the bearer check when the route has one, then the handler,
     * which reads the body only if it needs it (so a request without a token is a 401 whatever
     * its body).
     */
    JsonNode answer(Route.Match match, URI uri, String authorization, Supplier<JsonNode> body) {
        if (match.route().bearer()) {
            auth.authenticate(authorization);
        }
        return match.route().handler().handle(new Route.Call(match.params(), query(uri), body));
    }

    private JsonNode byName(Route.Call c) {
        String projectId = c.query().get("projectId");
        if (projectId == null) {
            throw ApiError.validation(profile.validationStatus, List.of(new ApiError.Issue("projectId", "Required")));
        }
        return keyAnswer(keys.byName(projectId, decode(c.param("keyName"))));
    }

    private String accessToken(Route.Call c) {
        RequestBody b = body(c);
        String token = b.string("accessToken");
        b.check();
        return token;
    }

    private EmulatedKey create(RequestBody b) {
        String projectId = b.string("projectId");
        String name = b.string("name");
        String description = b.optionalString("description");
        if (name != null && (name.isEmpty() || name.length() > 32 || !name.matches("[a-z0-9]+(?:[-_][a-z0-9]+)*"))) {
            b.issue("name", "Name must be a valid slug of 1 to 32 characters");
        }
        KeySpec spec = profile.signingAndMacKeys() ? spec(b) : aesSpec(b);
        requireProject(projectId);
        Object material = crypto.generate(spec);
        try {
            return keys.add(projectId, name, description, spec, material);
        } catch (ApiError nameTaken) {
            // A taken name is add's only refusal; the 2024 server left it to the database, which made it a 500.
            throw profile.duplicateNameAs500() ? ApiError.internal("Create") : nameTaken;
        }
    }

    /** Newer servers: {@code keyUsage} and {@code algorithm} (or the older {@code encryptionAlgorithm}), which must agree. */
    private static KeySpec spec(RequestBody b) {
        String usageText = b.optionalString("keyUsage");
        String algorithmText = b.optionalString("algorithm");
        if (algorithmText == null) {
            algorithmText = b.optionalString("encryptionAlgorithm");
        }
        KeySpec.Usage usage = usageText == null ? null : KeySpec.Usage.fromWire(usageText);
        if (usageText != null && usage == null) {
            b.issue("keyUsage", "Invalid enum value. Expected 'encrypt-decrypt' | 'sign-verify' | 'generate-verify-mac', "
                    + "received '" + usageText + "'");
        }
        KeySpec spec = algorithmText == null ? null : KeySpec.fromWire(algorithmText);
        if (algorithmText != null && spec == null) {
            b.issue("encryptionAlgorithm", "Invalid enum value, received '" + algorithmText + "'");
        }
        b.check();
        if (spec == null) {
            spec = usage == null || usage == KeySpec.Usage.ENCRYPT_DECRYPT ? KeySpec.AES_256_GCM
                    : usage == KeySpec.Usage.SIGN_VERIFY ? KeySpec.RSA_4096 : KeySpec.HMAC_SHA_256;
        }
        if (usage != null && usage != spec.usage) {
            throw ApiError.badRequest("Algorithm " + spec.wire + " cannot be used for key usage " + usage.wire);
        }
        return spec;
    }

    /**
     * The 2024 server: {@code encryptionAlgorithm} is an enum of the two AES algorithms, and the
     * schema strips the fields it does not know ({@code keyUsage}, {@code algorithm}).
     */
    private static KeySpec aesSpec(RequestBody b) {
        String text = b.optionalString("encryptionAlgorithm");
        KeySpec spec = text == null ? KeySpec.AES_256_GCM : KeySpec.fromWire(text);
        if (text != null && (spec == null || spec.usage != KeySpec.Usage.ENCRYPT_DECRYPT)) {
            b.issue("encryptionAlgorithm", "Invalid enum value. Expected 'aes-256-gcm' | 'aes-128-gcm', received '"
                    + text + "'");
        }
        b.check();
        return spec;
    }

    private EmulatedKey update(String keyId, RequestBody b) {
        String name = b.optionalString("name");
        String description = b.optionalString("description");
        Boolean disabled = b.optionalBoolean("isDisabled");
        b.check();
        return keys.update(keyId, name, description, disabled);
    }

    private JsonNode list(Map<String, String> q) {
        List<ApiError.Issue> issues = new ArrayList<>();
        String projectId = q.get("projectId");
        if (projectId == null) {
            issues.add(new ApiError.Issue("projectId", "Required"));
        }
        int offset = number(q, "offset", 0, 0, Integer.MAX_VALUE, issues);
        int limit = number(q, "limit", 100, 1, 100, issues);
        String orderBy = q.getOrDefault("orderBy", "name");
        String direction = q.getOrDefault("orderDirection", "asc");
        if (!orderBy.equals("name")) {
            issues.add(new ApiError.Issue("orderBy", "Invalid enum value. Expected 'name', received '" + orderBy + "'"));
        }
        if (!direction.equals("asc") && !direction.equals("desc")) {
            issues.add(new ApiError.Issue("orderDirection", "Invalid enum value. Expected 'asc' | 'desc'"));
        }
        if (!issues.isEmpty()) {
            throw ApiError.validation(profile.validationStatus, issues);
        }
        requireProject(projectId);
        KeyRegistry.Page page = keys.list(projectId, offset, limit, direction.equals("desc"), q.get("search"));
        ObjectNode out = HttpFront.JSON.createObjectNode();
        var array = out.putArray("keys");
        page.keys().forEach(k -> array.add(KeyJson.render(k, profile)));
        out.put("totalCount", page.totalCount());
        return out;
    }

    private static int number(Map<String, String> q, String name, int dflt, int min, int max,
            List<ApiError.Issue> issues) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                issues.add(new ApiError.Issue(name, "Number must be greater than or equal to " + min));
            } else if (n > max) {
                issues.add(new ApiError.Issue(name, "Number must be less than or equal to " + max));
            }
            return n;
        } catch (NumberFormatException e) {
            issues.add(new ApiError.Issue(name, "Expected number, received nan"));
            return dflt;
        }
    }

    private void requireProject(String projectId) {
        if (!projects.contains(projectId)) {
            throw profile.unknownProjectForbidden() ? ApiError.permissionDenied("You are not allowed to access this resource")
                    : ApiError.notFound("Project with ID '" + projectId + "' not found");
        }
    }

    private String keyId(Route.Call c) {
        String keyId = c.param("keyId");
        if (!RequestBody.UUID.matcher(keyId).matches()) {
            throw ApiError.validation(profile.validationStatus, List.of(new ApiError.Issue("keyId", "Invalid uuid")));
        }
        return keyId;
    }

    private RequestBody body(Route.Call c) {
        JsonNode body = c.body().get();
        if (body == null || !body.isObject()) {
            throw ApiError.validation(profile.validationStatus, List.of(new ApiError.Issue("",
                    "Expected object, received " + (body == null ? profile.missingBodyType() : RequestBody.type(body)))));
        }
        return new RequestBody(body, profile.validationStatus);
    }

    private JsonNode keyAnswer(EmulatedKey key) {
        ObjectNode out = HttpFront.JSON.createObjectNode();
        out.set("key", KeyJson.single(key, profile));
        return out;
    }

    private static JsonNode grant(TokenAuthority.Grant g) {
        return HttpFront.JSON.createObjectNode().put("accessToken", g.accessToken()).put("expiresIn", g.expiresIn())
                .put("accessTokenMaxTTL", g.accessTokenMaxTtl()).put("tokenType", "Bearer");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            q.putIfAbsent(k, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
