package io.github.infisicaljca.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The JDK's own key manager with its choice narrowed to one KeyStore alias. The
 * {@code INFISICAL} KeyStore lists every key of the project, and the JDK's key manager would
 * present any signing key of the type a handshake asks for; a TLS server or client should
 * present its own. The alias is chosen only when the JDK's key manager offers it for the key
 * type and issuers the peer asked for, so the JDK's checks (key type, key usage, validity with
 * "PKIX") stay in force. Works over "SunX509" (whose aliases are the KeyStore's) and "PKIX"
 * (whose aliases are {@code <n>.<m>.<KeyStore alias>}).
 *
 * <pre>{@code
 * SSLContext tls = SSLContext.getInstance("TLS");
 * tls.init(new KeyManager[] {AliasKeyManager.of(infisicalKeyStore, "tls-server")}, trustManagers, null);
 * }</pre>
 */
public final class AliasKeyManager extends X509ExtendedKeyManager {
    /** The "PKIX" key manager's alias: a counter, the KeyStore.Builder's index, the KeyStore alias. */
    private static final Pattern PKIX_PREFIX = Pattern.compile("\\d+\\.\\d+\\.");

    private final X509ExtendedKeyManager jdk;
    private final String alias;

    private AliasKeyManager(X509ExtendedKeyManager jdk, String alias) {
        this.jdk = jdk;
        this.alias = alias;
    }

    /**
     * A "PKIX" key manager over {@code keyStore} that presents {@code alias} only.
     *
     * @param keyStore a loaded KeyStore, for example the {@code INFISICAL} one (no password needed)
     * @param alias the alias to present: for the {@code INFISICAL} KeyStore, a key name
     * @return the key manager
     * @throws KeyStoreException when the alias is not one of the store's aliases, or has no
     *     private key with a certificate (an encrypt-decrypt or HMAC key, for example)
     * @throws GeneralSecurityException when the JDK's key manager cannot be made
     */
    public static AliasKeyManager of(KeyStore keyStore, String alias) throws GeneralSecurityException {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(alias, "alias");
        if (!Collections.list(keyStore.aliases()).contains(alias)) {
            throw new KeyStoreException("'" + alias + "' is not an alias of the " + keyStore.getType()
                    + " KeyStore (for INFISICAL: a key name of the project, not a key id)");
        }
        if (!keyStore.isKeyEntry(alias) || keyStore.getCertificateChain(alias) == null) {
            throw new KeyStoreException("'" + alias + "' in the " + keyStore.getType() + " KeyStore has no private key "
                    + "with a certificate: TLS needs a signing key");
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keyStore, null);
        return of(kmf, alias);
    }

    /**
     * Narrows the key manager an initialised factory made to {@code alias}.
     *
     * @param initialised a "PKIX" or "SunX509" factory, already initialised with the KeyStore
     * @param alias the KeyStore alias to present
     * @return the key manager
     * @throws IllegalArgumentException when the factory did not make one X509ExtendedKeyManager
     */
    public static AliasKeyManager of(KeyManagerFactory initialised, String alias) {
        Objects.requireNonNull(alias, "alias");
        KeyManager[] managers = initialised.getKeyManagers();
        if (managers.length != 1 || !(managers[0] instanceof X509ExtendedKeyManager)) {
            throw new IllegalArgumentException("the " + initialised.getAlgorithm() + " factory made " + managers.length
                    + " key managers, not one X509ExtendedKeyManager");
        }
        return new AliasKeyManager((X509ExtendedKeyManager) managers[0], alias);
    }

    /** {@return the KeyStore alias this key manager presents} */
    public String alias() {
        return alias;
    }

    private String pick(String[] offered) {
        if (offered != null) {
            for (String a : offered) {
                if (a.equals(alias) || (a.endsWith(alias) && PKIX_PREFIX.matcher(a.substring(0, a.length()
                        - alias.length())).matches())) {
                    return a;
                }
            }
        }
        return null;
    }

    private String pickClient(String[] keyTypes, Principal[] issuers) {
        if (keyTypes != null) {
            for (String keyType : keyTypes) {
                String a = pick(jdk.getClientAliases(keyType, issuers));
                if (a != null) {
                    return a;
                }
            }
        }
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return pickClient(keyTypes, issuers);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return pickClient(keyTypes, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return pick(jdk.getServerAliases(keyType, issuers));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return pick(jdk.getServerAliases(keyType, issuers));
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return jdk.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return jdk.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String keyManagerAlias) {
        return jdk.getCertificateChain(keyManagerAlias);
    }

    @Override
    public PrivateKey getPrivateKey(String keyManagerAlias) {
        return jdk.getPrivateKey(keyManagerAlias);
    }

    @Override
    public String toString() {
        return "AliasKeyManager{" + alias + "}";
    }
}
