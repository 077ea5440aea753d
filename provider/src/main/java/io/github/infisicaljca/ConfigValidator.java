package io.github.infisicaljca;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns resolved strings into checked values, collecting every problem before failing. */
final class ConfigValidator {
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    private final List<String> problems = new ArrayList<>();

    URI url;
    Secret accessToken;
    String clientId;
    Secret clientSecret;
    String projectId;
    long connectTimeoutMillis;
    long requestTimeoutMillis;
    int maxRetries;
    int maxPayloadBytes;
    VerifyMode verify;
    Path caCertPath;
    List<X509Certificate> caCertificates = List.of();
    boolean allowInsecureHttp;
    /** Alias to its chain file and the chain, leaf first. */
    java.util.Map<String, CertificateChainFile> certificateChains = java.util.Map.of();

    private ConfigValidator() {
    }

    static ConfigValidator validate(ConfigSources sources) {
        ConfigValidator v = new ConfigValidator();
        int foreign = 0;
        for (ConfigSources.UnknownKey key : sources.unknownKeys()) {
            if (key.name().startsWith(ConfigSources.PREFIX)) {
                v.problems.add(unknownKey(key));
            } else {
                foreign++;
            }
        }
        if (foreign > 0) {
            // Not echoed: a properties line without '=' is a key, and such a line may be a misplaced secret.
            v.problems.add(foreign + " configuration key(s) outside infisical.* (names not shown: a line without '=' "
                    + "may be a misplaced value such as a secret); the known keys are: " + String.join(", ", knownKeys()));
        }
        v.allowInsecureHttp = v.bool(sources, Setting.ALLOW_INSECURE_HTTP);
        v.url = v.url(sources.value(Setting.URL));
        v.credentials(sources);
        v.projectId = sources.value(Setting.PROJECT_ID);
        v.connectTimeoutMillis = v.integer(sources, Setting.CONNECT_TIMEOUT_MILLIS, 1, 600_000);
        v.requestTimeoutMillis = v.integer(sources, Setting.REQUEST_TIMEOUT_MILLIS, 1, 3_600_000);
        v.maxRetries = (int) v.integer(sources, Setting.MAX_RETRIES, 0, 10);
        // 1 MiB: the most any Infisical server accepts, and what the client's answer cap is sized for.
        v.maxPayloadBytes = (int) v.integer(sources, Setting.MAX_PAYLOAD_BYTES, 64, 1 << 20);
        v.verify = v.verify(sources.value(Setting.VERIFY));
        v.caCertificates(sources.value(Setting.CA_CERT_PATH));
        v.certificateChains(sources.certificateChains());
        if (!v.problems.isEmpty()) {
            throw new InfisicalConfigException(v.problems);
        }
        return v;
    }

    private static String unknownKey(ConfigSources.UnknownKey key) {
        String named = "unknown configuration key '" + key.name() + "'"
                + (key.source() == null ? "" : " (" + key.source() + ")");
        String nearest = nearestKnownKey(key.name());
        return nearest != null ? named + ": did you mean '" + nearest + "'?"
                : named + "; the known keys are: " + String.join(", ", knownKeys());
    }

    /** The known key a typo most likely meant: case-insensitively at most a few edits away. */
    private static String nearestKnownKey(String name) {
        String best = null;
        int bestDistance = 4;
        for (String known : knownKeys()) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Setting s : Setting.values()) {
            keys.add(s.property);
        }
        keys.add(ConfigSources.CHAIN_PREFIX + "<alias>");
        return keys;
    }

    private URI url(String raw) {
        if (raw == null) {
            problems.add(Setting.URL.where() + " is not set: give the Infisical server's base URL, "
                    + "for example https://app.infisical.com");
            return null;
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            problems.add(Setting.URL.property + " is not a valid URL: " + e.getReason());
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            // Without a scheme the value is echoed only when it cannot hold a credential or token.
            boolean hidden = uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null;
            problems.add(Setting.URL.property + " must be an http:// or https:// URL, not '"
                    + (uri.getScheme() != null ? scheme + ":..." : hidden ? "(a value without scheme, not shown: it "
                    + "has user info, a query or a fragment)" : raw) + "'");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            // The value would hold a credential: neither echo it nor accept it.
            problems.add(Setting.URL.property + " must not contain user info (user:password@); "
                    + "credentials belong in infisical.clientId/infisical.clientSecret or infisical.accessToken");
            return null;
        }
        if (uri.getHost() == null) {
            problems.add(Setting.URL.property + " '" + display(uri) + "' has no host name");
            return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // The query is not echoed: it is where a careless URL carries a token.
            problems.add(Setting.URL.property + " '" + display(uri) + "' must not have a query or fragment");
            return null;
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost()) && !allowInsecureHttp) {
            problems.add(Setting.URL.property + " '" + display(uri) + "' uses plain http:// to a non-loopback host, "
                    + "which would send tokens and data unencrypted: use https://, or set "
                    + Setting.ALLOW_INSECURE_HTTP.property + "=true if you really mean it");
            return null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith("/api")) {
            path = path.substring(0, path.length() - "/api".length());
        }
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return URI.create(scheme + "://" + uri.getHost() + port + path);
    }

    /** A URL fit for messages: no user info, query or fragment. */
    private static String display(URI uri) {
        return uri.getScheme() + "://" + (uri.getHost() == null ? "" : uri.getHost())
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() != null || uri.getRawFragment() != null ? "?..." : "");
    }

    /**
     * Loopback by literal address, or {@code localhost} itself (which resolvers answer locally):
     * no DNS lookup happens while reading configuration. Other names, {@code *.localhost}
     * included, go wherever DNS sends them, so they are remote hosts for plain http.
     */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches()
                || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    private void credentials(ConfigSources sources) {
        String token = sources.value(Setting.ACCESS_TOKEN);
        String id = sources.value(Setting.CLIENT_ID);
        String secret = sources.value(Setting.CLIENT_SECRET);
        if (id != null && secret == null) {
            problems.add(Setting.CLIENT_ID.property + " is set but " + Setting.CLIENT_SECRET.where() + " is not");
        } else if (id == null && secret != null) {
            problems.add(Setting.CLIENT_SECRET.property + " is set but " + Setting.CLIENT_ID.where() + " is not");
        } else if (id == null && token == null) {
            problems.add("no credentials: set " + Setting.CLIENT_ID.where() + " and " + Setting.CLIENT_SECRET.where()
                    + " for Universal Auth, or " + Setting.ACCESS_TOKEN.where());
        }
        clientId = id;
        clientSecret = secret == null ? null : Secret.of(secret);
        accessToken = token == null ? null : Secret.of(token);
    }

    private long integer(ConfigSources sources, Setting setting, long min, long max) {
        String raw = sources.value(setting);
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            problems.add(setting.property + " must be a whole number, not '" + raw + "'");
            return Long.parseLong(setting.defaultValue);
        }
        if (value < min || value > max) {
            problems.add(setting.property + " must be between " + min + " and " + max + ", not " + value);
            return Long.parseLong(setting.defaultValue);
        }
        return value;
    }

    private boolean bool(ConfigSources sources, Setting setting) {
        String raw = sources.value(setting);
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw);
        }
        problems.add(setting.property + " must be true or false, not '" + raw + "'");
        return false;
    }

    private VerifyMode verify(String raw) {
        for (VerifyMode mode : VerifyMode.values()) {
            if (mode.name().equalsIgnoreCase(raw)) {
                return mode;
            }
        }
        problems.add(Setting.VERIFY.property + " must be 'local' or 'remote', not '" + raw + "'");
        return VerifyMode.LOCAL;
    }

    private void caCertificates(String raw) {
        if (raw == null) {
            return;
        }
        String where = Setting.CA_CERT_PATH.property + " '" + raw + "'";
        caCertPath = path(raw, where);
        List<X509Certificate> certs = caCertPath == null ? null : certificates(caCertPath, where);
        if (certs != null) {
            caCertificates = certs;
        }
    }

    private void certificateChains(java.util.Map<String, String> raw) {
        java.util.Map<String, CertificateChainFile> chains = new java.util.TreeMap<>();
        raw.forEach((alias, file) -> {
            String where = ConfigSources.CHAIN_PREFIX + alias + " '" + file + "'";
            Path path = path(file, where);
            List<X509Certificate> chain = path == null ? null : certificates(path, where);
            if (chain == null) {
                return;
            }
            String problem = CertificateChainFile.orderProblem(chain);
            if (problem != null) {
                problems.add(where + ": " + problem);
                return;
            }
            chains.put(alias, new CertificateChainFile(alias, path, chain));
        });
        certificateChains = chains;
    }

    private Path path(String raw, String where) {
        try {
            return Path.of(raw);
        } catch (InvalidPathException e) {
            problems.add(where + " is not a valid path");
            return null;
        }
    }

    /** The PEM (or DER) certificates of a file, in file order; null after recording a problem. */
    private List<X509Certificate> certificates(Path path, String where) {
        List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(path)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
        } catch (NoSuchFileException e) {
            problems.add(where + " does not exist");
            return null;
        } catch (IOException e) {
            problems.add(where + " cannot be read: " + e.getClass().getSimpleName());
            return null;
        } catch (CertificateException e) {
            problems.add(where + " is not a PEM bundle of X.509 certificates: " + e.getMessage());
            return null;
        }
        if (certs.isEmpty()) {
            problems.add(where + " holds no certificate");
            return null;
        }
        return certs;
    }
}
