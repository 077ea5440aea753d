package io.github.infisicaljca.jca;

import io.github.infisicaljca.CertificateChainFile;
import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CA-issued chains of {@code infisical.certificateChain.<alias>}, checked against the KMS
 * when the KeyStore loads: the alias names a signing key, each certificate's signature
 * verifies with its issuer's key, and the leaf certifies the KMS key's own public key. A chain
 * that fails any of these fails {@code load} with the reason, rather than handing jarsigner or
 * a TLS peer a certificate the key cannot back.
 */
final class CertificateChains {
    /** Key id (lower case) to its chain, leaf first. */
    private final Map<String, X509Certificate[]> byKeyId;

    private CertificateChains(Map<String, X509Certificate[]> byKeyId) {
        this.byKeyId = byKeyId;
    }

    static final CertificateChains NONE = new CertificateChains(Map.of());

    /** Finds a key by alias in the listing being loaded. */
    @FunctionalInterface
    interface Lookup {
        KmsKey find(String alias) throws KmsException;
    }

    /** Makes the key's handle (its public key comes from the binding's cache, else one GET). */
    @FunctionalInterface
    interface Handles {
        InfisicalKey handle(KmsKey key) throws KmsException, InvalidKeyException;
    }

    static CertificateChains check(Map<String, CertificateChainFile> configured, Lookup lookup, Handles handles)
            throws IOException {
        Map<String, X509Certificate[]> chains = new TreeMap<>();
        for (CertificateChainFile file : configured.values()) {
            String where = "infisical.certificateChain." + file.alias() + " ('" + file.path() + "')";
            KmsKey key;
            InfisicalKey handle;
            try {
                key = lookup.find(file.alias());
                handle = key == null ? null : handles.handle(key);
            } catch (KmsException | InvalidKeyException e) {
                throw new IOException(where + ": cannot read key " + file.alias() + ": " + e.getMessage(), e);
            }
            if (key == null) {
                throw new IOException(where + " names no key: the alias must be a key name of the project (or a key id)");
            }
            if (!(handle instanceof PrivateKeyHandle)) {
                throw new IOException(where + ": key " + key.id() + " (" + key.name() + ") is not a signing key, so "
                        + "it has no certificate");
            }
            List<X509Certificate> chain = file.certificates();
            PublicKey kmsKey = ((PrivateKeyHandle) handle).publicHandle().jdkPublicKey();
            PublicKey leafKey = chain.get(0).getPublicKey();
            if (!samePublicKey(leafKey, kmsKey)) {
                throw new IOException(where + ": the first certificate (" + chain.get(0).getSubjectX500Principal()
                        + ") certifies another public key than KMS key " + key.id() + " (" + key.name() + "): its key "
                        + "fingerprint is SHA-256 " + fingerprint(leafKey) + ", the KMS key's " + fingerprint(kmsKey)
                        + ". Was the certificate issued for a request made by './infisical-jca csr --key "
                        + key.name() + "'?");
            }
            for (int i = 0; i + 1 < chain.size(); i++) {
                try {
                    chain.get(i).verify(chain.get(i + 1).getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new IOException(where + ": certificate " + (i + 1) + " (" + chain.get(i).getSubjectX500Principal()
                            + ") does not verify with the key of certificate " + (i + 2) + " ("
                            + chain.get(i + 1).getSubjectX500Principal() + "): " + e.getMessage(), e);
                }
            }
            chains.put(key.id().toLowerCase(Locale.ROOT), chain.toArray(new X509Certificate[0]));
        }
        return chains.isEmpty() ? NONE : new CertificateChains(chains);
    }

    /** {@return the configured chain of the key (a copy), or null when it has none} */
    X509Certificate[] chain(KmsKey key) {
        X509Certificate[] chain = byKeyId.get(key.id().toLowerCase(Locale.ROOT));
        return chain == null ? null : chain.clone();
    }

    /** The id of the key whose configured chain starts with {@code cert}, or null. */
    String keyIdOfLeaf(Certificate cert) {
        for (Map.Entry<String, X509Certificate[]> e : byKeyId.entrySet()) {
            if (e.getValue()[0].equals(cert)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The same key whatever its encoding: a CA may re-encode the SubjectPublicKeyInfo (an EC
     * curve by name or by explicit parameters), so the numbers are compared when the bytes differ.
     */
    static boolean samePublicKey(PublicKey a, PublicKey b) {
        if (Arrays.equals(a.getEncoded(), b.getEncoded())) {
            return true;
        }
        if (a instanceof RSAPublicKey && b instanceof RSAPublicKey) {
            RSAPublicKey x = (RSAPublicKey) a;
            RSAPublicKey y = (RSAPublicKey) b;
            return x.getModulus().equals(y.getModulus()) && x.getPublicExponent().equals(y.getPublicExponent());
        }
        if (a instanceof ECPublicKey && b instanceof ECPublicKey) {
            ECPublicKey x = (ECPublicKey) a;
            ECPublicKey y = (ECPublicKey) b;
            return x.getW().equals(y.getW()) && x.getParams().getCurve().equals(y.getParams().getCurve())
                    && x.getParams().getOrder().equals(y.getParams().getOrder());
        }
        return false;
    }

    private static String fingerprint(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(d, 0, 8) + "...";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
