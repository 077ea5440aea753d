package io.github.infisicaljca;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The provider's configuration, resolved once and validated up front. Immutable.
 *
 * <p>Resolution order (the contract's): explicit values given to the {@link Builder}, then the
 * {@code configure(...)} input, then Java system properties, then environment variables, then
 * defaults. When both an access token and Universal Auth credentials are present, the
 * credentials win because they can renew.
 *
 * <p>{@link #toString()} masks the token and the client secret as {@value Secret#MASK}.
 */
public final class InfisicalConfig {

    /** How the client authenticates. */
    public enum AuthMethod { UNIVERSAL_AUTH, ACCESS_TOKEN }

    private final URI url;
    private final Secret accessToken;
    private final String clientId;
    private final Secret clientSecret;
    private final String projectId;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final int maxPayloadBytes;
    private final VerifyMode verify;
    private final Path caCertPath;
    private final List<X509Certificate> caCertificates;
    private final boolean allowInsecureHttp;

    InfisicalConfig(ConfigValidator v) {
        this.url = v.url;
        this.accessToken = v.accessToken;
        this.clientId = v.clientId;
        this.clientSecret = v.clientSecret;
        this.projectId = v.projectId;
        this.connectTimeout = Duration.ofMillis(v.connectTimeoutMillis);
        this.requestTimeout = Duration.ofMillis(v.requestTimeoutMillis);
        this.maxRetries = v.maxRetries;
        this.maxPayloadBytes = v.maxPayloadBytes;
        this.verify = v.verify;
        this.caCertPath = v.caCertPath;
        this.caCertificates = List.copyOf(v.caCertificates);
        this.allowInsecureHttp = v.allowInsecureHttp;
    }

    /** A builder that reads the real system properties and environment beneath explicit values. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration from system properties, environment variables and defaults alone. */
    public static InfisicalConfig fromEnvironment() {
        return builder().build();
    }

    /** Server base URL, normalised: no trailing slash and no {@code /api} suffix. */
    public URI url() {
        return url;
    }

    /** The REST API root, {@code url() + "/api"}, under which every path of the API lives. */
    public URI apiUrl() {
        return URI.create(url + "/api");
    }

    public AuthMethod authMethod() {
        return clientId != null ? AuthMethod.UNIVERSAL_AUTH : AuthMethod.ACCESS_TOKEN;
    }

    /** The static access token; empty under Universal Auth. */
    public Optional<Secret> accessToken() {
        return authMethod() == AuthMethod.ACCESS_TOKEN ? Optional.of(accessToken) : Optional.empty();
    }

    public Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    public Optional<Secret> clientSecret() {
        return Optional.ofNullable(clientSecret);
    }

    public Optional<String> projectId() {
        return Optional.ofNullable(projectId);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The bound on one whole operation, retries and backoff included. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** The largest data or plaintext sent to the server in one call. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public VerifyMode verify() {
        return verify;
    }

    public Optional<Path> caCertPath() {
        return Optional.ofNullable(caCertPath);
    }

    /** The trusted CAs read from {@link #caCertPath()}; empty means the JDK's default trust. */
    public List<X509Certificate> caCertificates() {
        return caCertificates;
    }

    public boolean allowInsecureHttp() {
        return allowInsecureHttp;
    }

    /**
     * Every setting by property name with its effective value, secrets masked: what
     * {@code doctor} prints and {@link #toString()} shows.
     */
    public Map<String, String> sanitized() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Setting.URL.property, url.toString());
        m.put("auth", authMethod() == AuthMethod.UNIVERSAL_AUTH ? "universal-auth" : "access-token");
        m.put(Setting.ACCESS_TOKEN.property, accessToken == null ? "<unset>" : Secret.MASK);
        m.put(Setting.CLIENT_ID.property, clientId == null ? "<unset>" : clientId);
        m.put(Setting.CLIENT_SECRET.property, clientSecret == null ? "<unset>" : Secret.MASK);
        m.put(Setting.PROJECT_ID.property, projectId == null ? "<unset>" : projectId);
        m.put(Setting.CONNECT_TIMEOUT_MILLIS.property, Long.toString(connectTimeout.toMillis()));
        m.put(Setting.REQUEST_TIMEOUT_MILLIS.property, Long.toString(requestTimeout.toMillis()));
        m.put(Setting.MAX_RETRIES.property, Integer.toString(maxRetries));
        m.put(Setting.MAX_PAYLOAD_BYTES.property, Integer.toString(maxPayloadBytes));
        m.put(Setting.VERIFY.property, verify.name().toLowerCase(java.util.Locale.ROOT));
        m.put(Setting.CA_CERT_PATH.property, caCertPath == null ? "<unset>" : caCertPath.toString());
        m.put(Setting.ALLOW_INSECURE_HTTP.property, Boolean.toString(allowInsecureHttp));
        return m;
    }

    @Override
    public String toString() {
        return "InfisicalConfig" + sanitized();
    }

    /**
     * Collects explicit values and the sources beneath them; {@link #build()} resolves and
     * validates everything at once and reports every problem in one exception.
     */
    public static final class Builder {
        private final Map<String, String> explicit = new HashMap<>();
        private Map<String, String> configured = Map.of();
        private Properties systemProperties = System.getProperties();
        private Map<String, String> environment = System.getenv();

        private Builder() {
        }

        public Builder url(String url) {
            return set(Setting.URL, url);
        }

        public Builder accessToken(String token) {
            return set(Setting.ACCESS_TOKEN, token);
        }

        public Builder clientId(String clientId) {
            return set(Setting.CLIENT_ID, clientId);
        }

        public Builder clientSecret(String clientSecret) {
            return set(Setting.CLIENT_SECRET, clientSecret);
        }

        public Builder projectId(String projectId) {
            return set(Setting.PROJECT_ID, projectId);
        }

        public Builder connectTimeout(Duration timeout) {
            return set(Setting.CONNECT_TIMEOUT_MILLIS, Long.toString(timeout.toMillis()));
        }

        public Builder requestTimeout(Duration timeout) {
            return set(Setting.REQUEST_TIMEOUT_MILLIS, Long.toString(timeout.toMillis()));
        }

        public Builder maxRetries(int maxRetries) {
            return set(Setting.MAX_RETRIES, Integer.toString(maxRetries));
        }

        public Builder maxPayloadBytes(int maxPayloadBytes) {
            return set(Setting.MAX_PAYLOAD_BYTES, Integer.toString(maxPayloadBytes));
        }

        public Builder verify(VerifyMode mode) {
            return set(Setting.VERIFY, mode.name());
        }

        public Builder caCertPath(Path path) {
            return set(Setting.CA_CERT_PATH, path.toString());
        }

        public Builder allowInsecureHttp(boolean allow) {
            return set(Setting.ALLOW_INSECURE_HTTP, Boolean.toString(allow));
        }

        /** An explicit value by its property name, for example {@code infisical.maxRetries}. */
        public Builder property(String name, String value) {
            explicit.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
            return this;
        }

        /** The {@code configure(String)} input: a properties path, or {@code --} and the text. */
        public Builder configure(String argument) {
            this.configured = ConfigSources.readConfigureArgument(argument);
            return this;
        }

        /** Replaces the system properties layer (by default {@link System#getProperties()}). */
        public Builder systemProperties(Properties properties) {
            this.systemProperties = Objects.requireNonNull(properties, "properties");
            return this;
        }

        /** Replaces the environment layer (by default {@link System#getenv()}). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** Ignores system properties and environment: only explicit and configured values count. */
        public Builder withoutAmbientSources() {
            return systemProperties(new Properties()).environment(Map.of());
        }

        public InfisicalConfig build() {
            ConfigSources sources = new ConfigSources(Map.copyOf(explicit), configured,
                    systemProperties, environment);
            return new InfisicalConfig(ConfigValidator.validate(sources));
        }

        private Builder set(Setting setting, String value) {
            return property(setting.property, value);
        }
    }
}
