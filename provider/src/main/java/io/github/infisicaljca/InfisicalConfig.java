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
    public enum AuthMethod {
        /** Universal Auth machine identity: logs in with client id and secret, and again when the token expires. */
        UNIVERSAL_AUTH,
        /** A ready access token, used as given. */
        ACCESS_TOKEN
    }

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
    private final Map<String, CertificateChainFile> certificateChains;

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
        this.certificateChains = Map.copyOf(v.certificateChains);
    }

    /** {@return a builder that reads the real system properties and environment beneath explicit values} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the configuration from system properties, environment variables and defaults alone} */
    public static InfisicalConfig fromEnvironment() {
        return builder().build();
    }

    /** {@return server base URL, normalised: no trailing slash and no {@code /api} suffix} */
    public URI url() {
        return url;
    }

    /** {@return the REST API root, {@code url() + "/api"}, under which every path of the API lives} */
    public URI apiUrl() {
        return URI.create(url + "/api");
    }

    /** {@return Universal Auth when client credentials are set (they win over a token), else the access token} */
    public AuthMethod authMethod() {
        return clientId != null ? AuthMethod.UNIVERSAL_AUTH : AuthMethod.ACCESS_TOKEN;
    }

    /** {@return the static access token; empty under Universal Auth} */
    public Optional<Secret> accessToken() {
        return authMethod() == AuthMethod.ACCESS_TOKEN ? Optional.of(accessToken) : Optional.empty();
    }

    /** {@return the Universal Auth client id, if set} */
    public Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    /** {@return the Universal Auth client secret, if set} */
    public Optional<Secret> clientSecret() {
        return Optional.ofNullable(clientSecret);
    }

    /** {@return the project whose keys the KeyStore lists, if set} */
    public Optional<String> projectId() {
        return Optional.ofNullable(projectId);
    }

    /** {@return the bound on opening one connection} */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@return the bound on one whole operation, retries and backoff included} */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** {@return how many times a retryable failure is retried} */
    public int maxRetries() {
        return maxRetries;
    }

    /** {@return the largest data or plaintext sent to the server in one call} */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** {@return where signatures made with a key handle are verified} */
    public VerifyMode verify() {
        return verify;
    }

    /** {@return the PEM CA bundle trusted for TLS, if set} */
    public Optional<Path> caCertPath() {
        return Optional.ofNullable(caCertPath);
    }

    /** {@return the trusted CAs read from {@link #caCertPath()}; empty means the JDK's default trust} */
    public List<X509Certificate> caCertificates() {
        return caCertificates;
    }

    /** {@return whether {@code http://} to a non-loopback host is allowed} */
    public boolean allowInsecureHttp() {
        return allowInsecureHttp;
    }

    /**
     * The CA-issued chains of {@code infisical.certificateChain.<alias>}: the KeyStore returns
     * them instead of the self-signed certificate.
     *
     * @return the chains by alias (a key name or id), sorted; empty when none is configured
     */
    public Map<String, CertificateChainFile> certificateChains() {
        return new java.util.TreeMap<>(certificateChains);
    }

    /**
     * Every setting by property name with its effective value, secrets masked: what
     * {@code doctor} prints and {@link #toString()} shows.
     *
     * @return the settings in a fixed order
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
        certificateChains().forEach((alias, chain) -> m.put(ConfigSources.CHAIN_PREFIX + alias, chain.path().toString()));
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

        /**
         * The server base URL ({@code infisical.url}).
         *
         * @param url the URL; a trailing {@code /api} is tolerated
         * @return this builder
         */
        public Builder url(String url) {
            return set(Setting.URL, url);
        }

        /**
         * A ready access token ({@code infisical.accessToken}).
         *
         * @param token the token
         * @return this builder
         */
        public Builder accessToken(String token) {
            return set(Setting.ACCESS_TOKEN, token);
        }

        /**
         * The Universal Auth client id ({@code infisical.clientId}).
         *
         * @param clientId the client id
         * @return this builder
         */
        public Builder clientId(String clientId) {
            return set(Setting.CLIENT_ID, clientId);
        }

        /**
         * The Universal Auth client secret ({@code infisical.clientSecret}).
         *
         * @param clientSecret the client secret
         * @return this builder
         */
        public Builder clientSecret(String clientSecret) {
            return set(Setting.CLIENT_SECRET, clientSecret);
        }

        /**
         * The project whose keys the KeyStore lists ({@code infisical.projectId}).
         *
         * @param projectId the project id
         * @return this builder
         */
        public Builder projectId(String projectId) {
            return set(Setting.PROJECT_ID, projectId);
        }

        /**
         * The bound on opening one connection; default 5 s.
         *
         * @param timeout the timeout, millisecond precision
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            return set(Setting.CONNECT_TIMEOUT_MILLIS, Long.toString(timeout.toMillis()));
        }

        /**
         * The bound on one whole operation, retries included; default 15 s.
         *
         * @param timeout the timeout, millisecond precision
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            return set(Setting.REQUEST_TIMEOUT_MILLIS, Long.toString(timeout.toMillis()));
        }

        /**
         * Retries of retryable failures; default 3.
         *
         * @param maxRetries the number of retries, 0 for none
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            return set(Setting.MAX_RETRIES, Integer.toString(maxRetries));
        }

        /**
         * The largest data or plaintext sent in one call; default 4096.
         *
         * @param maxPayloadBytes the limit in bytes
         * @return this builder
         */
        public Builder maxPayloadBytes(int maxPayloadBytes) {
            return set(Setting.MAX_PAYLOAD_BYTES, Integer.toString(maxPayloadBytes));
        }

        /**
         * Where handle signatures are verified; default {@link VerifyMode#LOCAL}.
         *
         * @param mode local or remote
         * @return this builder
         */
        public Builder verify(VerifyMode mode) {
            return set(Setting.VERIFY, mode.name());
        }

        /**
         * A PEM CA bundle to trust for a self-hosted server's TLS.
         *
         * @param path the bundle file
         * @return this builder
         */
        public Builder caCertPath(Path path) {
            return set(Setting.CA_CERT_PATH, path.toString());
        }

        /**
         * Allows {@code http://} to a non-loopback host; default false.
         *
         * @param allow whether to allow it
         * @return this builder
         */
        public Builder allowInsecureHttp(boolean allow) {
            return set(Setting.ALLOW_INSECURE_HTTP, Boolean.toString(allow));
        }

        /**
         * A CA-issued certificate chain for a KeyStore alias ({@code infisical.certificateChain.<alias>}).
         *
         * @param alias the key name (or key id) the chain certifies
         * @param pemChain the PEM file: the key's certificate first, then each issuer
         * @return this builder
         */
        public Builder certificateChain(String alias, Path pemChain) {
            return property(ConfigSources.CHAIN_PREFIX + Objects.requireNonNull(alias, "alias"), pemChain.toString());
        }

        /**
         * An explicit value by its property name.
         *
         * @param name the property name, for example {@code infisical.maxRetries}
         * @param value its value, as in a properties file
         * @return this builder
         */
        public Builder property(String name, String value) {
            explicit.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
            return this;
        }

        /**
         * The {@code configure(String)} layer.
         *
         * @param argument a properties file path, or {@code --} followed by the properties text
         * @return this builder
         */
        public Builder configure(String argument) {
            this.configured = ConfigSources.readConfigureArgument(argument);
            return this;
        }

        /**
         * Replaces the system properties layer (by default {@link System#getProperties()}).
         *
         * @param properties the properties to read instead
         * @return this builder
         */
        public Builder systemProperties(Properties properties) {
            this.systemProperties = Objects.requireNonNull(properties, "properties");
            return this;
        }

        /**
         * Replaces the environment layer (by default {@link System#getenv()}).
         *
         * @param environment the variables to read instead
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * Ignores system properties and environment: only explicit and configured values count.
         *
         * @return this builder
         */
        public Builder withoutAmbientSources() {
            return systemProperties(new Properties()).environment(Map.of());
        }

        /**
         * Resolves every setting through the layers and validates the result.
         *
         * @return the configuration
         * @throws InfisicalConfigException when a value is missing or invalid
         */
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
