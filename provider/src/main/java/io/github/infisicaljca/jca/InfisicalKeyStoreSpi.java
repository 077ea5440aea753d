package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.KeyStoreSpi;
import java.security.ProviderException;
import java.security.UnrecoverableEntryException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The read-only {@code INFISICAL} KeyStore: one entry per key of {@code infisical.projectId},
 * by name (a key id works too). Signing keys come with the CA-issued chain configured for them
 * ({@code infisical.certificateChain.<alias>}), else with a self-signed certificate made by the
 * key itself. The listing is cached and re-read when older than a minute.
 */
final class InfisicalKeyStoreSpi extends KeyStoreSpi {
    private static final String READ_ONLY = "the INFISICAL KeyStore is read-only: create, change and delete keys "
            + "in Infisical itself";

    private final Supplier<KmsBinding> bindingSupplier;
    private final Map<String, InfisicalKey> handles = new ConcurrentHashMap<>();
    private KmsBinding binding;
    private KeyListing listing;
    private CertificateChains chains = CertificateChains.NONE;

    InfisicalKeyStoreSpi(Supplier<KmsBinding> bindingSupplier) {
        this.bindingSupplier = bindingSupplier;
    }

    @Override
    public void engineLoad(InputStream stream, char[] password) throws IOException {
        if (stream != null) {
            throw new IOException("the INFISICAL KeyStore has no file: call load(null, null) "
                    + "(with keytool: -keystore NONE)");
        }
        try {
            binding = bindingSupplier.get();
        } catch (RuntimeException e) {
            throw new IOException("the Infisical provider is not configured: " + e.getMessage(), e);
        }
        String project = binding.config().projectId().orElseThrow(() -> new IOException(
                "infisical.projectId (INFISICAL_PROJECT_ID) is not set: the KeyStore lists the keys of one project"));
        KeyListing fresh = new KeyListing(binding.operations(), project);
        try {
            fresh.refresh();
        } catch (KmsException e) {
            // A failed re-load keeps the previous listing (KeyStore stays loaded), never an empty one.
            throw new IOException("cannot list the keys of project " + project + ": " + e.getMessage(), e);
        }
        handles.clear();
        CertificateChains checked = CertificateChains.check(binding.config().certificateChains(), fresh::find,
                this::handle);
        listing = fresh;
        chains = checked;
    }

    @Override
    public Key engineGetKey(String alias, char[] password) throws UnrecoverableKeyException {
        KmsKey key = find(alias);
        if (key == null) {
            return null;
        }
        try {
            return handle(key);
        } catch (KmsException | InvalidKeyException e) {
            UnrecoverableKeyException u = new UnrecoverableKeyException("cannot make a handle for key " + key.id()
                    + " (" + key.name() + "): " + e.getMessage());
            u.initCause(e);
            throw u;
        }
    }

    /**
     * Entries need no password here (the keys are protected by Infisical, not by the store), so
     * {@code getEntry(alias, null)} works; the JDK's default would demand one.
     */
    @Override
    public KeyStore.Entry engineGetEntry(String alias, KeyStore.ProtectionParameter protection)
            throws UnrecoverableEntryException {
        Key key;
        try {
            key = engineGetKey(alias, null);
        } catch (UnrecoverableKeyException e) {
            UnrecoverableEntryException u = new UnrecoverableEntryException(e.getMessage());
            u.initCause(e);
            throw u;
        }
        if (key instanceof PrivateKeyHandle) {
            return new KeyStore.PrivateKeyEntry((PrivateKeyHandle) key, engineGetCertificateChain(alias));
        }
        return key instanceof SecretKeyHandle ? new KeyStore.SecretKeyEntry((SecretKeyHandle) key) : null;
    }

    @Override
    public Certificate[] engineGetCertificateChain(String alias) {
        KmsKey key = find(alias);
        Certificate[] issued = key == null ? null : chains.chain(key);
        if (issued != null) {
            return issued;
        }
        Certificate c = engineGetCertificate(alias);
        return c == null ? null : new Certificate[] {c};
    }

    @Override
    public Certificate engineGetCertificate(String alias) {
        KmsKey key = find(alias);
        if (key == null) {
            return null;
        }
        Certificate[] issued = chains.chain(key);
        if (issued != null) {
            return issued[0];
        }
        try {
            InfisicalKey h = handle(key);
            if (!(h instanceof PrivateKeyHandle)) {
                return null;
            }
            return binding.certificate((PrivateKeyHandle) h);
        } catch (KmsException | InvalidKeyException e) {
            throw new ProviderException("cannot make the certificate of key " + key.id() + " (" + key.name() + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Date engineGetCreationDate(String alias) {
        KmsKey key = find(alias);
        return key == null || key.createdAt() == null ? null : Date.from(key.createdAt());
    }

    @Override
    public Enumeration<String> engineAliases() {
        return Collections.enumeration(loaded().names());
    }

    @Override
    public boolean engineContainsAlias(String alias) {
        return find(alias) != null;
    }

    @Override
    public int engineSize() {
        return loaded().names().size();
    }

    @Override
    public boolean engineIsKeyEntry(String alias) {
        return find(alias) != null;
    }

    @Override
    public boolean engineIsCertificateEntry(String alias) {
        return false;
    }

    @Override
    public String engineGetCertificateAlias(Certificate cert) {
        // The serial number names the key: compare with that key's certificate (made once per
        // provider), as KeyStore.getCertificateAlias promises for key entries.
        String leafOf = chains.keyIdOfLeaf(cert);
        if (leafOf != null) {
            KmsKey k = loaded().byId(leafOf);
            return k != null ? k.name() : leafOf; // a key outside the project is known by its id
        }
        String id = Certificates.keyIdOf(cert);
        KmsKey k = id == null ? null : loaded().byId(id);
        return k != null && cert.equals(engineGetCertificate(k.name())) ? k.name() : null;
    }

    @Override
    public void engineSetKeyEntry(String alias, Key key, char[] password, Certificate[] chain) throws KeyStoreException {
        throw new KeyStoreException(READ_ONLY);
    }

    @Override
    public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain) throws KeyStoreException {
        throw new KeyStoreException(READ_ONLY);
    }

    @Override
    public void engineSetCertificateEntry(String alias, Certificate cert) throws KeyStoreException {
        throw new KeyStoreException(READ_ONLY);
    }

    @Override
    public void engineDeleteEntry(String alias) throws KeyStoreException {
        throw new KeyStoreException(READ_ONLY);
    }

    @Override
    public void engineStore(OutputStream stream, char[] password) throws IOException {
        // KeyStoreSpi.engineStore cannot throw KeyStoreException; IOException is the closest it declares.
        throw new IOException(READ_ONLY);
    }

    private KeyListing loaded() {
        if (listing == null) {
            // KeyStore itself refuses calls before load(); this guards direct SPI use.
            throw new IllegalStateException("the INFISICAL KeyStore is not loaded: call load(null, null)");
        }
        listing.refreshIfStale();
        return listing;
    }

    /**
     * By name first, then by key id: in the listing, else asked of the server once per listing
     * (keys of other projects; an unknown id is remembered as unknown just as long).
     */
    private KmsKey find(String alias) {
        if (alias == null) {
            return null;
        }
        try {
            return loaded().find(alias);
        } catch (KmsException e) {
            throw new ProviderException("cannot look up key " + alias + ": " + e.getMessage(), e);
        }
    }

    private InfisicalKey handle(KmsKey key) throws KmsException, InvalidKeyException {
        InfisicalKey h = handles.get(key.id());
        if (h == null) {
            h = KeyHandles.forKey(binding, key);
            InfisicalKey raced = handles.putIfAbsent(key.id(), h);
            h = raced != null ? raced : h;
        }
        return h;
    }
}
