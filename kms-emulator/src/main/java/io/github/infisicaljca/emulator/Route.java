package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One route of the API, as the server registers it: a method, a path template whose
 * {@code :name} segments take any non-empty value, whether the bearer token is checked, and
 * the handler. Resolving a request to a route comes before everything else, as in the real
 * server's router: an unknown route is a 404 whatever the token, and the rate limiter counts by
 * {@link #pattern()}.
 */
record Route(String method, String template, boolean bearer, Handler handler) {

    /** What a route does with a call; failures are {@link ApiError}s. */
    interface Handler {
        JsonNode handle(Call call);
    }

    /**
     * A request matched to its route.
     *
     * @param body the parsed body, read only when the handler asks (after the bearer check)
     */
    record Call(Map<String, String> params, Map<String, String> query, Supplier<JsonNode> body) {
        String param(String name) {
            return params.get(name);
        }
    }

    /** A route matched to a path, with the path's values for the template's parameters. */
    record Match(Route route, Map<String, String> params) {
    }

    /** The counter's name, for example {@code POST /api/v1/kms/keys/:keyId/encrypt}: ids replaced, no query. */
    String pattern() {
        return method + " " + template;
    }

    boolean isRead() {
        return method.equals("GET");
    }

    /** The first route of {@code routes} that fits, or null. */
    static Match resolve(List<Route> routes, String method, String rawPath) {
        // split drops trailing empty strings, so a trailing slash is ignored, as the server's router does.
        String[] segments = rawPath.split("/");
        for (Route r : routes) {
            Map<String, String> params = r.match(method, segments);
            if (params != null) {
                return new Match(r, params);
            }
        }
        return null;
    }

    private Map<String, String> match(String m, String[] segments) {
        String[] t = template.split("/");
        if (!method.equals(m) || t.length != segments.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith(":")) {
                if (segments[i].isEmpty()) {
                    return null;
                }
                params.put(t[i].substring(1), segments[i]);
            } else if (!t[i].equals(segments[i])) {
                return null;
            }
        }
        return params;
    }
}
