package io.github.infisicaljca;

import java.util.List;

/** The configuration keys of the contract: property name, environment variables, default. */
enum Setting {
    URL("infisical.url", null, "INFISICAL_URL"),
    ACCESS_TOKEN("infisical.accessToken", null, "INFISICAL_ACCESS_TOKEN", "INFISICAL_TOKEN"),
    CLIENT_ID("infisical.clientId", null, "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID"),
    CLIENT_SECRET("infisical.clientSecret", null, "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET"),
    PROJECT_ID("infisical.projectId", null, "INFISICAL_PROJECT_ID"),
    CONNECT_TIMEOUT_MILLIS("infisical.connectTimeoutMillis", "5000"),
    REQUEST_TIMEOUT_MILLIS("infisical.requestTimeoutMillis", "15000"),
    MAX_RETRIES("infisical.maxRetries", "3"),
    MAX_PAYLOAD_BYTES("infisical.maxPayloadBytes", "4096"),
    VERIFY("infisical.verify", "local"),
    CA_CERT_PATH("infisical.caCertPath", null, "INFISICAL_CA_CERT_PATH"),
    ALLOW_INSECURE_HTTP("infisical.allowInsecureHttp", "false");

    final String property;
    final String defaultValue;
    final List<String> environment;

    Setting(String property, String defaultValue, String... environment) {
        this.property = property;
        this.defaultValue = defaultValue;
        this.environment = List.of(environment);
    }

    boolean isSecret() {
        return this == ACCESS_TOKEN || this == CLIENT_SECRET;
    }

    /** "infisical.url (INFISICAL_URL)": how a message tells the user where to set it. */
    String where() {
        return environment.isEmpty() ? property : property + " (" + String.join(" or ", environment) + ")";
    }

    static Setting forProperty(String property) {
        for (Setting s : values()) {
            if (s.property.equals(property)) {
                return s;
            }
        }
        return null;
    }
}
