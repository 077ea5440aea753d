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

/**
 * The API itself: routes by method and path below {@code /api}, checks the bearer token,
 * validates bodies and queries, and manages keys. The cryptographic calls are in
 * {@link CryptoOperations}. Answers are JSON trees; failures are {@link ApiError}s.
 */
final class KmsApi {
    private final KeyRegistry keys;
    private final TokenAuthority auth;
    private final CryptoOperations crypto;
    private final ServerProfile profile;
    private final Set<String> projects;

    KmsApi(KeyRegistry keys, TokenAuthority auth, CryptoOperations crypto, ServerProfile profile,
            Set<String> projects) {
        this.keys = keys;
        this.auth = auth;
        this.crypto = crypto;
        this.profile = profile;
        this.projects = projects;
    }

    JsonNode route(String method, URI uri, JsonNode body, String authorization) {
        String path = uri.getRawPath();
        String[] s = path.split("/");
        // s[0] is "" (the leading slash); every route starts /api/v1/.
        if (s.length >= 4 && s[1].equals("api") && s[2].equals("v1")) {
            if (s[3].equals("auth")) {
                return authRoute(method, path, body);
            }
            if (s[3].equals("kms") && s.length >= 5 && s[4].equals("keys")) {
                auth.authenticate(authorization);
                JsonNode answer = keysRoute(method, s, query(uri), body);
                if (answer != null) {
                    return answer;
                }
            }
        }
        throw ApiError.routeNotFound(method, path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private JsonNode authRoute(String method, String path, JsonNode body) {
        if (!method.equals("POST")) {
            throw ApiError.routeNotFound(method, path);
        }
        switch (path) {
            case "/api/v1/auth/universal-auth/login": {
                RequestBody b = body(body);
                String clientId = b.string("clientId");
                String clientSecret = b.string("clientSecret");
                b.check();
                return grant(auth.login(clientId, clientSecret));
            }
            case "/api/v1/auth/token/renew": {
                RequestBody b = body(body);
                String token = b.string("accessToken");
                b.check();
                return grant(auth.renew(token));
            }
            case "/api/v1/auth/token/revoke": {
                RequestBody b = body(body);
                String token = b.string("accessToken");
                b.check();
                auth.revoke(token);
                return HttpFront.JSON.createObjectNode().put("message", "Successfully revoked access token");
            }
            default:
                throw ApiError.routeNotFound(method, path);
        }
    }

    /** @return the answer, or null when no route matches */
    private JsonNode keysRoute(String method, String[] s, Map<String, String> query, JsonNode body) {
        if (s.length == 5) {
            if (method.equals("POST")) {
                return keyAnswer(create(body(body)));
            }
            return method.equals("GET") ? list(query) : null;
        }
        if (s.length == 7 && s[5].equals("key-name") && method.equals("GET") && profile.keyLookupRoutes) {
            String projectId = query.get("projectId");
            if (projectId == null) {
                throw ApiError.validation(profile.validationStatus, List.of(new ApiError.Issue("projectId", "Required")));
            }
            return keyAnswer(keys.byName(projectId, decode(s[6])));
        }
        if (s.length < 6 || s[5].equals("key-name")) {
            return null;
        }
        String keyId = s[5];
        if (s.length == 6) {
            switch (method) {
                case "GET":
                    if (!profile.keyLookupRoutes) {
                        return null;
                    }
                    return keyAnswer(keys.get(checkId(keyId)));
                case "PATCH":
                    return keyAnswer(update(checkId(keyId), body(body)));
                case "DELETE":
                    return keyAnswer(keys.delete(checkId(keyId)));
                default:
                    return null;
            }
        }
        if (s.length != 7) {
            return null;
        }
        String op = s[6];
        if (method.equals("GET") && (op.equals("public-key") || op.equals("signing-algorithms"))) {
            EmulatedKey key = keys.get(checkId(keyId));
            return op.equals("public-key") ? crypto.publicKey(key) : crypto.signingAlgorithms(key);
        }
        if (!method.equals("POST")) {
            return null;
        }
        switch (op) {
            case "encrypt":
            case "decrypt":
            case "sign":
            case "verify":
            case "generate-mac":
            case "verify-mac":
                return crypto.operate(op, keys.get(checkId(keyId)), body(body));
            default:
                return null;
        }
    }

    private EmulatedKey create(RequestBody b) {
        String projectId = b.string("projectId");
        String name = b.string("name");
        String description = b.optionalString("description");
        String usageText = b.optionalString("keyUsage");
        String algorithmText = b.optionalString("algorithm");
        if (algorithmText == null) {
            algorithmText = b.optionalString("encryptionAlgorithm");
        }
        if (name != null && (name.isEmpty() || name.length() > 32 || !name.matches("[a-z0-9]+(?:[-_][a-z0-9]+)*"))) {
            b.issue("name", "Name must be a valid slug of 1 to 32 characters");
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
        requireProject(projectId);
        return keys.add(projectId, name, description, spec, crypto.generate(spec));
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
            throw ApiError.notFound("Project with ID '" + projectId + "' not found");
        }
    }

    private String checkId(String keyId) {
        if (!RequestBody.UUID.matcher(keyId).matches()) {
            throw ApiError.validation(profile.validationStatus, List.of(new ApiError.Issue("keyId", "Invalid uuid")));
        }
        return keyId;
    }

    private RequestBody body(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.validation(profile.validationStatus, List.of(new ApiError.Issue("",
                    "Expected object, received " + (body == null ? "undefined" : RequestBody.type(body)))));
        }
        return new RequestBody(body, profile.validationStatus);
    }

    private JsonNode keyAnswer(EmulatedKey key) {
        ObjectNode out = HttpFront.JSON.createObjectNode();
        out.set("key", KeyJson.render(key, profile));
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
