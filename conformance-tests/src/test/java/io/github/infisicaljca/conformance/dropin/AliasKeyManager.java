package io.github.infisicaljca.conformance.dropin;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The JDK's own key manager with its choice narrowed to one KeyStore alias: the INFISICAL
 * KeyStore lists every key of the project, and a side of a handshake should present one. The
 * alias must still be among those the JDK's key manager offers for the key type and issuers
 * the peer asked for, so the JDK's own suitability checks (key type, key usage) stay in force.
 * Works for both "SunX509" (aliases are the KeyStore's) and "PKIX" (aliases look like
 * {@code 3.0.name}: a counter, the KeyStore.Builder index, the KeyStore alias).
 */
final class AliasKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager jdk;
    private final String name;
    private volatile String chosen;

    private AliasKeyManager(X509ExtendedKeyManager jdk, String name) {
        this.jdk = jdk;
        this.name = name;
    }

    /** Wraps the single X509ExtendedKeyManager that {@code kmf} made. */
    static AliasKeyManager of(KeyManagerFactory kmf, String name) {
        KeyManager[] managers = kmf.getKeyManagers();
        if (managers.length != 1 || !(managers[0] instanceof X509ExtendedKeyManager)) {
            throw new IllegalStateException(kmf.getAlgorithm() + " made " + managers.length + " key managers");
        }
        return new AliasKeyManager((X509ExtendedKeyManager) managers[0], name);
    }

    /** The JDK key manager's alias last chosen for a handshake, or null when none was. */
    String chosen() {
        return chosen;
    }

    /** The private key behind the last choice, as the JDK's key manager hands it to JSSE. */
    PrivateKey chosenKey() {
        String alias = chosen;
        return alias == null ? null : jdk.getPrivateKey(alias);
    }

    private String pick(String[] offered) {
        if (offered == null) {
            return null;
        }
        for (String alias : offered) {
            if (alias.equals(name) || alias.endsWith("." + name)) {
                chosen = alias;
                return alias;
            }
        }
        return null;
    }

    private String pickClient(String[] keyTypes, Principal[] issuers) {
        for (String keyType : keyTypes) {
            String alias = pick(jdk.getClientAliases(keyType, issuers));
            if (alias != null) {
                return alias;
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
    public X509Certificate[] getCertificateChain(String alias) {
        return jdk.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return jdk.getPrivateKey(alias);
    }
}
