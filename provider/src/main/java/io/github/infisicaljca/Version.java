package io.github.infisicaljca;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of infisical-jca, from the build (used in the User-Agent and the provider). */
public final class Version {
    private static final String CURRENT = read();

    private Version() {
    }

    /** {@return the version, for example {@code 0.1.0-SNAPSHOT}; {@code dev} when run from unbuilt sources} */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("infisical-jca-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "dev";
    }
}
