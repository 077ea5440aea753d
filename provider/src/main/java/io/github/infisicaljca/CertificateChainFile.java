package io.github.infisicaljca;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A CA-issued certificate chain for one KeyStore alias, read from the PEM file that
 * {@code infisical.certificateChain.<alias>} names: the leaf (the KMS key's certificate) first,
 * then each certificate's issuer. The configuration checks that the file reads and that the
 * names chain; the KeyStore checks, when it loads, that each certificate's signature verifies
 * with the next one's key and that the leaf certifies the KMS key's public key. Immutable.
 */
public final class CertificateChainFile {
    private final String alias;
    private final Path path;
    private final List<X509Certificate> certificates;

    CertificateChainFile(String alias, Path path, List<X509Certificate> certificates) {
        this.alias = alias;
        this.path = path;
        this.certificates = List.copyOf(certificates);
    }

    /** {@return the KeyStore alias (a key name, or a key id) the chain belongs to} */
    public String alias() {
        return alias;
    }

    /** {@return the file the chain was read from} */
    public Path path() {
        return path;
    }

    /** {@return the chain, leaf first} */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** Why the names do not chain (leaf first, each certificate followed by its issuer), or null when they do. */
    static String orderProblem(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate subject = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            if (!subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                return "certificate " + (i + 2) + " (" + issuer.getSubjectX500Principal() + ") is not the issuer of "
                        + "certificate " + (i + 1) + " (issued by " + subject.getIssuerX500Principal() + "): list the "
                        + "leaf (the KMS key's certificate) first, then each certificate's issuer";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "CertificateChainFile{" + alias + ", " + path + ", " + certificates.size() + " certificate(s)}";
    }
}
