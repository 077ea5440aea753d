package io.github.infisicaljca.cli;

import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.RateLimitedException;
import java.io.PrintStream;
import javax.net.ssl.SSLException;

/**
 * How {@code doctor} prints: numbered steps, each ending {@code ok} or {@code FAILED}; every
 * failure ends with a {@code likely cause:} and a {@code remedy:} line. Also turns KMS
 * exceptions into those two lines.
 */
final class DoctorReport {
    /** A likely cause and what to do about it. */
    record Diagnosis(String cause, String remedy) {
    }

    static final String CREDENTIALS = "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID / INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET"
            + " (or INFISICAL_ACCESS_TOKEN)";

    private final PrintStream out;
    private int failures;

    DoctorReport(PrintStream out) {
        this.out = out;
    }

    // Every line may quote the server, the configuration or an exception: each is escaped.
    void step(int n, String title) {
        out.println();
        line(n + ". " + title);
    }

    void detail(String text) {
        line("   " + text);
    }

    void ok(String text) {
        line("   ok: " + text);
    }

    void skipped(String text) {
        line("   skipped: " + text);
    }

    void failed(String what, Diagnosis d) {
        failures++;
        line("   FAILED: " + what);
        line("   likely cause: " + d.cause());
        line("   remedy: " + d.remedy());
    }

    private void line(String text) {
        out.println(TerminalText.safe(text));
    }

    void failed(String what, Throwable e) {
        failed(what + ": " + oneLine(e), diagnose(e));
    }

    boolean healthy() {
        return failures == 0;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    /** The likely cause of a failed KMS call (found anywhere in the cause chain) and its remedy. */
    static Diagnosis diagnose(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return tls(t);
            }
        }
        // The server's own refusal says most; a client-side wrapper (a paused login) carries it as its cause.
        KmsException k = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KmsApiException || t instanceof RateLimitedException) {
                k = (KmsException) t;
                break;
            }
            if (k == null && t instanceof KmsException ke) {
                k = ke;
            }
        }
        if (k == null) {
            return new Diagnosis("an unexpected error (" + e.getClass().getSimpleName() + ")",
                    "read the message above; run with a fresh configuration, or report it with this output");
        }
        if (k instanceof KmsApiException api) {
            return api(api);
        }
        if (k instanceof RateLimitedException limited) {
            return rateLimited(limited);
        }
        switch (k.kind()) {
            case CONNECT:
                return new Diagnosis("the server cannot be reached (refused, no route, or blocked by a firewall)",
                        "check INFISICAL_URL and that the server is up; check proxies and firewalls between here and it");
            case TIMEOUT:
                return new Diagnosis("the server did not answer in time: overloaded, or a firewall drops the traffic",
                        "check the network path; raise infisical.requestTimeoutMillis if the server is just slow");
            case MALFORMED_RESPONSE:
                return new Diagnosis("the answer is not Infisical's: INFISICAL_URL points at another service"
                        + " (a proxy, a login page, a different API)",
                        "set INFISICAL_URL to the Infisical base URL, e.g. https://app.infisical.com (no /api path)");
            default:
                return new Diagnosis("the connection broke during the call (" + k.kind() + ")",
                        "retry; if it persists, check proxies and load balancers between here and the server");
        }
    }

    private static Diagnosis api(KmsApiException e) {
        if (e.isAuthenticationFailure() || (e.status() == 401 && !e.isValidationFailure())) {
            return new Diagnosis("the credentials are refused: wrong client id or client secret, or an expired or"
                    + " revoked access token (" + CREDENTIALS + ")",
                    "check the Universal Auth credentials of the machine identity in Infisical (create a new client"
                    + " secret if unsure); a static token expires, Universal Auth renews itself");
        }
        if (e.isRouteNotFound()) {
            return new Diagnosis("the server has no such route: INFISICAL_URL has a wrong path, or the server is too"
                    + " old for the KMS API",
                    "use the server's base URL without a path (e.g. https://app.infisical.com); upgrade a self-hosted"
                    + " server");
        }
        if (e.isNotFound()) {
            return new Diagnosis("not found: the client id names no identity, or the key/project id is wrong or in"
                    + " another project",
                    "check " + CREDENTIALS + ", INFISICAL_PROJECT_ID and the KMS_*_KEY_ID values against Infisical");
        }
        if (e.isPermissionDenied()) {
            return new Diagnosis("the identity may not do this: it lacks a role on the project or the key",
                    "give the machine identity access to the project (a role that allows KMS operations)");
        }
        if (e.isServerError()) {
            return new Diagnosis("the server failed (HTTP " + e.status() + ")",
                    "retry; check the server's health and logs (reqId " + e.reqId().orElse("none") + ")");
        }
        return new Diagnosis("the server refused the request (HTTP " + e.status() + " " + e.error() + ")",
                "read the server's message above; the key may be disabled or of another usage");
    }

    /** A spent rate limit: which budget, when it comes back, and how to spend less of it. */
    static Diagnosis rateLimited(RateLimitedException e) {
        String budget = e.overall() ? "the server's overall budget for this client address"
                : e.limit().isPresent() ? "the server's budget of " + Wording.count(e.limit().getAsInt(), "request") + " a window on "
                        + e.route() : "the server's budget on " + e.route();
        String when = e.resetIn().map(d -> "; it resets in " + Math.max(1, (d.toMillis() + 999) / 1000) + " s")
                .orElse("");
        return new Diagnosis("rate limited: " + budget + " is spent (by this host's calls, doctor's included)" + when,
                "wait for the reset and run doctor again; if the application needs more, spend fewer calls"
                        + " (INFISICAL-ENVELOPE with a data-key cache, one signature per batch) or raise the"
                        + " server's limits (README.md, Rate limits)");
    }

    static Diagnosis tls(Throwable e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("PKIX") || m.contains("certification path") || m.contains("trust")) {
            return new Diagnosis("the server's certificate is not trusted: self-signed or issued by a private CA",
                    "set INFISICAL_CA_CERT_PATH (infisical.caCertPath) to a PEM bundle with that CA");
        }
        if (m.contains("subject alternative") || m.contains("No name matching") || m.contains("hostname")) {
            return new Diagnosis("the certificate is for another host name than the one in INFISICAL_URL",
                    "use the host name the certificate names, or fix the certificate");
        }
        return new Diagnosis("the TLS handshake failed (protocol, cipher or certificate problem)",
                "check that the port speaks TLS (http:// vs https://) and the server's TLS configuration");
    }
}
