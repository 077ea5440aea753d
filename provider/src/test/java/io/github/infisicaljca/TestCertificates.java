package io.github.infisicaljca;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;

/** Real CA certificates for tests, taken from the running JDK's own trust store. */
final class TestCertificates {
    private TestCertificates() {
    }

    static String pemOfAnyTrustedCa() throws Exception {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            cacerts.load(in, null);
        }
        for (String alias : Collections.list(cacerts.aliases())) {
            Certificate c = cacerts.getCertificate(alias);
            if (c != null) {
                return "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            }
        }
        throw new IllegalStateException("the JDK trust store is empty");
    }
}
