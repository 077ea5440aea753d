package io.github.infisicaljca.audit.config;

import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the provider's configuration problems into audit ones: each names the environment
 * variable the audit configuration reads, echoed URLs are shown sanitized, and secret values
 * are scrubbed (the provider's messages should hold none; this is a second line of defence).
 */
final class ProviderProblems {
    private static final Map<String, String> VARIABLES = new LinkedHashMap<>();

    static {
        VARIABLES.put("infisical.requestTimeoutMillis", "kms.requestTimeout");
        VARIABLES.put("infisical.accessToken", AuditConfigFactory.INFISICAL_ACCESS_TOKEN);
        VARIABLES.put("infisical.clientSecret", AuditConfigFactory.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET);
        VARIABLES.put("infisical.clientId", AuditConfigFactory.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID);
        VARIABLES.put("infisical.projectId", AuditConfigFactory.INFISICAL_PROJECT_ID);
        VARIABLES.put("infisical.url", AuditConfigFactory.INFISICAL_URL);
    }

    private static final String INSECURE_HINT = ", or set infisical.allowInsecureHttp";

    private ProviderProblems() {
    }

    /**
     * The provider's problems, translated.
     *
     * @param rawUrl the URL that was given, replaced by its sanitized form wherever echoed
     * @param secrets values that must not appear in any message
     */
    static List<String> translate(InfisicalConfigException e, String rawUrl, Secret... secrets) {
        List<String> out = new ArrayList<>();
        for (String problem : e.problems()) {
            String p = problem;
            if (rawUrl != null) {
                p = p.replace(rawUrl, Masking.url(rawUrl));
            }
            p = Masking.scrub(p, secrets);
            int hint = p.indexOf(INSECURE_HINT);
            if (hint >= 0) {
                // The audit configuration has no insecure-http switch: http:// is for loopback only.
                p = p.substring(0, hint) + " (the audit configuration allows http:// only to a loopback host)";
            }
            String variable = variableOf(p);
            out.add(variable == null || p.startsWith(variable) ? p : variable + ": " + p);
        }
        return out;
    }

    private static String variableOf(String problem) {
        int best = Integer.MAX_VALUE;
        String variable = null;
        for (Map.Entry<String, String> e : VARIABLES.entrySet()) {
            int i = problem.indexOf(e.getKey());
            if (i >= 0 && i < best) {
                best = i;
                variable = e.getValue();
            }
        }
        return variable;
    }
}
