package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.emulator.RecordedRequest;
import io.github.infisicaljca.kms.CreateKeyRequest;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyStoreTest {
    private static final List<String> SEEDED = List.of(KmsEmulator.EC_SIGNING_KEY, KmsEmulator.ENCRYPTION_KEY,
            KmsEmulator.HMAC_KEY, KmsEmulator.SIGNING_KEY);
    private static final Pattern OFFSET = Pattern.compile("[?&]offset=(\\d+)");

    private static EmulatorFixture f;

    @BeforeAll
    static void start() {
        f = new EmulatorFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void reset() {
        f.kms.clearFaults();
        f.kms.clearRequests();
    }

    @Test
    void aliasesAreExactlyTheKeyNamesOfTheConfiguredProjectSorted() throws Exception {
        KeyStore ks = f.keyStore(f.provider());
        assertEquals("INFISICAL", ks.getType());
        assertEquals(SEEDED, Collections.list(ks.aliases()));
        assertEquals(SEEDED.size(), ks.size());
        for (String name : SEEDED) {
            assertTrue(ks.containsAlias(name), name);
            assertTrue(ks.isKeyEntry(name), name);
            assertFalse(ks.isCertificateEntry(name), name);
        }
        assertFalse(ks.containsAlias("no-such-key"));
        assertFalse(ks.isKeyEntry("no-such-key"));
        assertFalse(ks.containsAlias(KmsEmulator.SIGNING_KEY.toUpperCase(Locale.ROOT)), "names are case-sensitive");
    }

    @Test
    void everyKeyOfALargeProjectIsListedPagingPastOneHundred() throws Exception {
        String project = f.kms.addProject();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            names.add(String.format(Locale.ROOT, "key-%03d", i));
        }
        List<String> creationOrder = new ArrayList<>(names);
        Collections.shuffle(creationOrder, new Random(42));
        try (KmsClient client = KmsClient.create(f.config().projectId(project).build())) {
            for (String name : creationOrder) {
                client.createKey(CreateKeyRequest.builder(project, name).build());
            }
        }
        f.kms.clearRequests();
        KeyStore ks = f.keyStore(new InfisicalProvider(f.config().projectId(project).build()));
        assertEquals(names, Collections.list(ks.aliases()));
        assertEquals(230, ks.size());
        List<RecordedRequest> lists = listRequests();
        List<Integer> offsets = new ArrayList<>();
        for (RecordedRequest r : lists) {
            assertTrue(r.path().contains("projectId=" + project), r.path());
            Matcher m = OFFSET.matcher(r.path());
            offsets.add(m.find() ? Integer.parseInt(m.group(1)) : 0);
        }
        assertEquals(List.of(0, 100, 200), offsets);
        // The seeded project is not mixed in.
        assertFalse(ks.containsAlias(KmsEmulator.SIGNING_KEY));
    }

    @Test
    void getKeyByNameAndByIdInEitherCaseGivesTheSameKindOfHandle() throws Exception {
        KeyStore ks = f.keyStore(f.provider());
        for (String name : SEEDED) {
            String id = f.kms.keyId(name);
            Key byName = ks.getKey(name, null);
            Key byLower = ks.getKey(id.toLowerCase(Locale.ROOT), null);
            Key byUpper = ks.getKey(id.toUpperCase(Locale.ROOT), null);
            assertNotNull(byName, name);
            assertSame(byName.getClass(), byLower.getClass(), name);
            assertSame(byName.getClass(), byUpper.getClass(), name);
            for (Key k : List.of(byName, byLower, byUpper)) {
                assertEquals(id.toLowerCase(Locale.ROOT), ((InfisicalKey) k).keyId().toLowerCase(Locale.ROOT));
                assertEquals(name, ((InfisicalKey) k).keyName());
            }
            assertTrue(ks.containsAlias(id.toUpperCase(Locale.ROOT)), name);
            assertTrue(ks.isKeyEntry(id), name);
        }
        assertNull(ks.getKey("no-such-key", null));
        assertNull(ks.getKey("00000000-0000-4000-8000-000000000000", null));
        assertNull(ks.getCertificate("no-such-key"));
        assertNull(ks.getCreationDate("no-such-key"));
    }

    @Test
    void keyOfAnotherProjectResolvesByIdThroughTheServer() throws Exception {
        String other = f.kms.addProject();
        KmsKey created;
        try (KmsClient client = KmsClient.create(f.config().projectId(other).build())) {
            created = client.createKey(CreateKeyRequest.builder(other, "elsewhere-ec").keyUsage(KeyUsage.SIGN_VERIFY)
                    .algorithm("ECC_NIST_P256").build());
        }
        KeyStore ks = f.keyStore(f.provider());
        assertFalse(Collections.list(ks.aliases()).contains("elsewhere-ec"));
        assertNull(ks.getKey("elsewhere-ec", null), "names resolve within the configured project only");
        Key k = ks.getKey(created.id(), null);
        InfisicalPrivateKey handle = assertInstanceOf(InfisicalPrivateKey.class, k);
        assertEquals("EC", handle.getAlgorithm());
        assertEquals("elsewhere-ec", handle.keyName());
        assertTrue(ks.containsAlias(created.id()));
        X509Certificate cert = (X509Certificate) ks.getCertificate(created.id());
        assertEquals("CN=elsewhere-ec", cert.getSubjectX500Principal().getName());
        cert.verify(handle.publicKey());
    }

    @Test
    void signingKeysArePrivateHandlesAndTheOthersSecretHandles() throws Exception {
        KeyStore ks = f.keyStore(f.provider());
        try (KmsClient client = KmsClient.create(f.config().build())) {
            for (String name : List.of(KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY)) {
                InfisicalPrivateKey k = assertInstanceOf(InfisicalPrivateKey.class, ks.getKey(name, null));
                assertEquals(name.equals(KmsEmulator.SIGNING_KEY) ? "RSA" : "EC", k.getAlgorithm());
                assertNull(k.getEncoded(), name);
                assertNull(k.getFormat(), name);
                assertEquals(KeyUsage.SIGN_VERIFY, k.keyUsage());
                assertNotNull(k.publicKey(), name);
                assertEquals(k.keyId(), k.publicKey().keyId());
                assertEquals("X.509", k.publicKey().getFormat());
                assertArrayEquals(client.publicKey(f.kms.keyId(name)), k.publicKey().getEncoded(), name);
            }
        }
        InfisicalSecretKey aes = assertInstanceOf(InfisicalSecretKey.class, ks.getKey(KmsEmulator.ENCRYPTION_KEY, null));
        assertEquals("AES", aes.getAlgorithm());
        assertNull(aes.getEncoded());
        assertNull(aes.getFormat());
        InfisicalSecretKey hmac = assertInstanceOf(InfisicalSecretKey.class, ks.getKey(KmsEmulator.HMAC_KEY, null));
        assertEquals("HmacSHA256", hmac.getAlgorithm());
        assertNull(hmac.getEncoded());
        assertNull(hmac.getFormat());
        KeyStore.Entry e = ks.getEntry(KmsEmulator.ENCRYPTION_KEY, new KeyStore.PasswordProtection(new char[0]));
        assertInstanceOf(KeyStore.SecretKeyEntry.class, e);
        KeyStore.PrivateKeyEntry pe = assertInstanceOf(KeyStore.PrivateKeyEntry.class,
                ks.getEntry(KmsEmulator.SIGNING_KEY, new KeyStore.PasswordProtection(new char[0])));
        assertEquals(1, pe.getCertificateChain().length);
        assertInstanceOf(KeyStore.PrivateKeyEntry.class, ks.getEntry(KmsEmulator.SIGNING_KEY, null),
                "no password is needed: the keys are protected by Infisical");
        assertNull(ks.getEntry("no-such-key", null));
    }

    @Test
    void certificateOfASigningKeyIsSelfSignedByTheKeyAndParsesEverywhere() throws Exception {
        KeyStore ks = f.keyStore(f.provider());
        BouncyCastleProvider bc = new BouncyCastleProvider();
        try (KmsClient client = KmsClient.create(f.config().build())) {
            for (String name : List.of(KmsEmulator.SIGNING_KEY, KmsEmulator.EC_SIGNING_KEY)) {
                KmsKey meta = client.getKey(f.kms.keyId(name));
                X509Certificate cert = assertInstanceOf(X509Certificate.class, ks.getCertificate(name));
                X509Certificate reparsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(cert.getEncoded()));
                reparsed.verify(reparsed.getPublicKey());
                assertEquals("CN=" + name, reparsed.getSubjectX500Principal().getName());
                assertEquals(reparsed.getSubjectX500Principal(), reparsed.getIssuerX500Principal());
                InfisicalPrivateKey handle = (InfisicalPrivateKey) ks.getKey(name, null);
                assertArrayEquals(handle.publicKey().getEncoded(), reparsed.getPublicKey().getEncoded(), name);
                assertArrayEquals(client.publicKey(meta.id()), cert.getPublicKey().getEncoded(), name);
                assertEquals(Date.from(meta.createdAt().truncatedTo(ChronoUnit.SECONDS)), cert.getNotBefore(), name);
                cert.checkValidity(Date.from(meta.createdAt()));

                JcaX509CertificateHolder holder = new JcaX509CertificateHolder(cert);
                assertTrue(holder.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(bc)
                        .build(cert.getPublicKey())), name);
                assertEquals("CN=" + name, holder.getSubject().toString());
                assertArrayEquals(handle.publicKey().getEncoded(), holder.getSubjectPublicKeyInfo().getEncoded());

                Certificate[] chain = ks.getCertificateChain(name);
                assertEquals(1, chain.length);
                assertSame(cert, chain[0]);
                assertEquals(Date.from(meta.createdAt()), ks.getCreationDate(name));
                assertEquals(name, ks.getCertificateAlias(cert));
            }
        }
    }

    @Test
    void certificateIsMadeOnceWithOneSignatureAndThenCached() throws Exception {
        KeyStore ks = f.keyStore(f.provider());
        ks.getKey(KmsEmulator.SIGNING_KEY, null);
        f.kms.clearRequests();
        Certificate first = ks.getCertificate(KmsEmulator.SIGNING_KEY);
        assertEquals(1, count("POST", "/sign"), "one signature makes the certificate");
        f.kms.clearRequests();
        assertSame(first, ks.getCertificate(KmsEmulator.SIGNING_KEY));
        assertSame(first, ks.getCertificateChain(KmsEmulator.SIGNING_KEY)[0]);
        assertEquals(0, count("POST", "/sign"));
        assertEquals(List.of(), f.kms.requests(), "the cached certificate needs no server call");
    }

    @Test
    void certificateAliasOfAnEqualCertificateFromAnotherKeyStoreInstance() throws Exception {
        // PKCS#1 v1.5 is deterministic, so another store makes the very same certificate.
        Certificate elsewhere = f.keyStore(f.provider()).getCertificate(KmsEmulator.SIGNING_KEY);
        KeyStore ks = f.keyStore(f.provider());
        assertEquals(KmsEmulator.SIGNING_KEY, ks.getCertificateAlias(elsewhere));
        assertEquals(elsewhere, ks.getCertificate(KmsEmulator.SIGNING_KEY));
    }

    @Test
    void secretKeysHaveNoCertificate() throws Exception {
        KeyStore ks = f.keyStore(f.provider());
        try (KmsClient client = KmsClient.create(f.config().build())) {
            for (String name : List.of(KmsEmulator.ENCRYPTION_KEY, KmsEmulator.HMAC_KEY)) {
                assertNull(ks.getCertificate(name), name);
                assertNull(ks.getCertificateChain(name), name);
                assertTrue(ks.isKeyEntry(name), name);
                assertEquals(Date.from(client.getKey(f.kms.keyId(name)).createdAt()), ks.getCreationDate(name), name);
            }
        }
        assertEquals(0, count("POST", "/sign"));
    }

    @Test
    void everyWriteIsRefusedAsReadOnly() throws Exception {
        KeyStore ks = f.keyStore(f.provider());
        Certificate cert = ks.getCertificate(KmsEmulator.SIGNING_KEY);
        Key handle = ks.getKey(KmsEmulator.SIGNING_KEY, null);
        f.kms.clearRequests();
        List<KeyStoreException> refused = List.of(
                assertThrows(KeyStoreException.class, () -> ks.setKeyEntry("new-key",
                        new SecretKeySpec(new byte[32], "AES"), new char[0], null)),
                assertThrows(KeyStoreException.class, () -> ks.setKeyEntry("copy", handle, null,
                        new Certificate[] {cert})),
                assertThrows(KeyStoreException.class, () -> ks.setKeyEntry("raw", new byte[16], null)),
                assertThrows(KeyStoreException.class, () -> ks.setCertificateEntry("ca", cert)),
                assertThrows(KeyStoreException.class, () -> ks.deleteEntry(KmsEmulator.SIGNING_KEY)),
                assertThrows(KeyStoreException.class, () -> ks.setEntry("entry",
                        new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[32], "AES")),
                        new KeyStore.PasswordProtection(new char[0]))));
        for (KeyStoreException e : refused) {
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
        IOException store = assertThrows(IOException.class, () -> ks.store(new ByteArrayOutputStream(), new char[0]));
        assertTrue(store.getMessage().contains("read-only"), store.getMessage());
        assertEquals(SEEDED, Collections.list(ks.aliases()));
        assertEquals(List.of(), f.kms.requests(), "a refused write never reaches the server");
    }

    @Test
    void loadWithAStreamIsRefusedPointingAtLoadNullNull() throws Exception {
        KeyStore ks = KeyStore.getInstance("INFISICAL", f.provider());
        IOException e = assertThrows(IOException.class,
                () -> ks.load(new ByteArrayInputStream(new byte[0]), new char[0]));
        assertTrue(e.getMessage().contains("load(null, null)"), e.getMessage());
        assertTrue(e.getMessage().contains("-keystore NONE"), e.getMessage());
        ks.load(null); // the LoadStoreParameter form with null works too
        assertEquals(SEEDED, Collections.list(ks.aliases()));
    }

    @Test
    void aProviderWithoutProjectCannotLoadTheKeyStore() throws Exception {
        InfisicalConfig noProject = InfisicalConfig.builder().withoutAmbientSources().url(f.kms.url().toString())
                .clientId(f.kms.clientId()).clientSecret(f.kms.clientSecret()).build();
        KeyStore ks = KeyStore.getInstance("INFISICAL", new InfisicalProvider(noProject));
        IOException e = assertThrows(IOException.class, () -> ks.load(null, null));
        assertTrue(e.getMessage().contains("infisical.projectId"), e.getMessage());
    }

    @Test
    void operationsBeforeLoadFailWithKeyStoreException() throws Exception {
        KeyStore ks = KeyStore.getInstance("INFISICAL", f.provider());
        assertThrows(KeyStoreException.class, ks::aliases);
        assertThrows(KeyStoreException.class, ks::size);
        assertThrows(KeyStoreException.class, () -> ks.containsAlias(KmsEmulator.SIGNING_KEY));
        assertThrows(KeyStoreException.class, () -> ks.getKey(KmsEmulator.SIGNING_KEY, null));
        assertThrows(KeyStoreException.class, () -> ks.getCertificate(KmsEmulator.SIGNING_KEY));
        assertEquals(0, listRequests().size());
    }

    @Test
    void listingIsCachedUntilTheNextLoad() throws Exception {
        String project = f.kms.addProject();
        try (KmsClient client = KmsClient.create(f.config().projectId(project).build())) {
            client.createKey(CreateKeyRequest.builder(project, "alpha").build());
            client.createKey(CreateKeyRequest.builder(project, "beta").build());
            f.kms.clearRequests();
            KeyStore ks = f.keyStore(new InfisicalProvider(f.config().projectId(project).build()));
            assertEquals(1, listRequests().size(), "load lists once");
            assertEquals(List.of("alpha", "beta"), Collections.list(ks.aliases()));
            assertEquals(List.of("alpha", "beta"), Collections.list(ks.aliases()));
            assertEquals(2, ks.size());
            assertTrue(ks.containsAlias("beta"));
            assertNotNull(ks.getKey("alpha", null));
            assertEquals(1, listRequests().size(), "aliases, size and lookups use the cached listing");

            client.createKey(CreateKeyRequest.builder(project, "gamma").build());
            assertEquals(List.of("alpha", "beta"), Collections.list(ks.aliases()), "still the cached listing");
            ks.load(null, null);
            assertEquals(2, listRequests().size(), "load lists again");
            assertEquals(List.of("alpha", "beta", "gamma"), Collections.list(ks.aliases()));
        }
    }

    @Test
    void listingFailureAtLoadIsAnIOExceptionWithTheServersStatus() throws Exception {
        KeyStore ks = KeyStore.getInstance("INFISICAL", f.provider());
        f.kms.inject("GET", "/api/v1/kms/keys$", Fault.status(403), -1);
        try {
            IOException e = assertThrows(IOException.class, () -> ks.load(null, null));
            assertTrue(e.getMessage().contains("403"), e.getMessage());
            assertTrue(e.getMessage().contains(f.kms.projectId()), e.getMessage());
            RecordedRequest failed = listRequests().get(0);
            assertEquals(403, failed.status());
            assertTrue(e.getMessage().contains(failed.reqId()), e.getMessage());
            assertFalse(e.getMessage().contains(f.kms.clientSecret()), e.getMessage());
            assertNotNull(e.getCause());
        } finally {
            f.kms.clearFaults();
        }
        assertThrows(KeyStoreException.class, ks::aliases, "a failed load leaves the store unloaded");
        ks.load(null, null);
        assertEquals(SEEDED, Collections.list(ks.aliases()));
    }

    @Test
    void aFailedReloadKeepsThePreviousListing() throws Exception {
        KeyStore ks = f.keyStore(f.provider());
        f.kms.inject("GET", "/api/v1/kms/keys$", Fault.status(403), -1);
        try {
            assertThrows(IOException.class, () -> ks.load(null, null));
            assertEquals(SEEDED, Collections.list(ks.aliases()), "not an empty store while the server refuses");
            assertNotNull(ks.getKey(KmsEmulator.SIGNING_KEY, null));
        } finally {
            f.kms.clearFaults();
        }
    }

    private static List<RecordedRequest> listRequests() {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r : f.kms.requests()) {
            if (r.method().equals("GET") && r.route().equals("/api/v1/kms/keys")) {
                out.add(r);
            }
        }
        return out;
    }

    private static long count(String method, String routeSuffix) {
        return f.kms.requests().stream().filter(r -> r.method().equals(method) && r.route().endsWith(routeSuffix))
                .count();
    }
}
