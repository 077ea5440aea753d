package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalPublicKey;
import io.github.infisicaljca.InfisicalSecretKey;
import java.security.InvalidParameterException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreSpi;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureSpi;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.Mac;
import javax.crypto.MacSpi;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JCA contract of every service the provider registers, walked by {@link ServiceTester}
 * against the KMS emulator running as a separate process: the registration equals the
 * contract's table; every name and alias resolves; the attributes are right; each engine's
 * state machine and declared exceptions follow the JDK documentation.
 */
class ProviderContractTest {
    private static final String HANDLES = "io.github.infisicaljca.InfisicalPrivateKey|io.github.infisicaljca.InfisicalPublicKey";
    /** Cipher and Mac take every handle, to refuse one of the wrong usage by name. */
    private static final String ALL_HANDLES = "io.github.infisicaljca.InfisicalSecretKey|" + HANDLES;
    /** docs: contract.md, "Services of the provider": type -> name -> aliases. */
    private static final Map<String, Map<String, List<String>>> CONTRACT = contractTable();

    private static SeededKeys keys;
    private static ServiceTester tester;

    @BeforeAll
    static void start() throws Exception {
        keys = SeededKeys.load();
        tester = new ServiceTester(keys.provider());
    }

    @AfterAll
    static void summary() {
        if (tester != null) {
            tester.printSummary();
        }
    }

    private static Map<String, Map<String, List<String>>> contractTable() {
        Map<String, List<String>> sig = new LinkedHashMap<>();
        sig.put("INFISICAL-RSA", List.of());
        sig.put("INFISICAL-RSA-PSS", List.of());
        sig.put("INFISICAL-ECDSA", List.of());
        for (String h : List.of("256", "384", "512")) {
            sig.put("SHA" + h + "withRSA", List.of("RSASSA_PKCS1_V1_5_SHA_" + h));
            sig.put("SHA" + h + "withECDSA", List.of("ECDSA_SHA_" + h));
            sig.put("SHA" + h + "withRSA/PSS", List.of("RSASSA_PSS_SHA_" + h, "SHA" + h + "WITHRSAANDMGF1"));
        }
        sig.put("RSASSA-PSS", List.of());
        Map<String, Map<String, List<String>>> t = new TreeMap<>();
        t.put("Signature", new TreeMap<>(sig));
        t.put("Cipher", new TreeMap<>(Map.of("INFISICAL-AES", List.of("INFISICAL"), "INFISICAL-ENVELOPE", List.of())));
        t.put("Mac", new TreeMap<>(Map.of("INFISICAL-HMAC", List.of())));
        t.put("KeyStore", new TreeMap<>(Map.of("INFISICAL", List.of())));
        return t;
    }

    @Test
    void theRegistrationIsExactlyTheContractsTable() {
        Map<String, Map<String, List<String>>> registered = new TreeMap<>();
        tester.table().forEach((type, names) -> registered.put(type, new TreeMap<>(names)));
        assertEquals(CONTRACT, registered);
        assertEquals(13, tester.services("Signature").size());
        // Nothing registered outside putService: every "Type.Name" entry of the property table is a service.
        for (Object k : keys.provider().keySet()) {
            String key = (String) k;
            if (key.startsWith("Provider.") || key.startsWith("Alg.Alias.") || key.indexOf(' ') > 0) {
                continue;
            }
            int dot = key.indexOf('.');
            Provider.Service s = keys.provider().getService(key.substring(0, dot), key.substring(dot + 1));
            assertNotNull(s, "property " + key + " is no service");
            assertEquals(s.getClassName(), keys.provider().getProperty(key), key);
        }
    }

    /** Every name and alias, as written, in lower and in upper case: the same service, this provider. */
    @Test
    void everyNameAndAliasResolvesThroughTheProviderObject() {
        Provider p = keys.provider();
        tester.checkEvery("resolves by Provider", e -> {
            for (String name : e.names()) {
                for (String variant : variants(name)) {
                    assertSame(e.service(), p.getService(e.type(), variant), "getService(" + variant + ")");
                    Object engine = instance(e.type(), variant, p);
                    assertSame(p, providerOf(engine), variant);
                    assertEquals(variant, algorithmOf(engine), "getAlgorithm() is the name asked for");
                }
            }
            if (e.type().equals("Cipher")) {
                for (String name : e.names()) {
                    assertSame(p, Cipher.getInstance(name + "/NONE/NoPadding", p).getProvider());
                    assertSame(p, Cipher.getInstance(name.toLowerCase(Locale.ROOT) + "/none/nopadding", p).getProvider());
                    assertThrows(NoSuchAlgorithmException.class, () -> Cipher.getInstance(name + "/GCM/NoPadding", p));
                    assertThrows(NoSuchPaddingException.class, () -> Cipher.getInstance(name + "/NONE/PKCS5Padding", p));
                }
            }
        });
    }

    /** After Security.addProvider: by the provider's name, and by name alone where no other provider has it. */
    @Test
    void everyNameAndAliasResolvesThroughTheInstalledProvidersName() {
        Provider p = keys.provider();
        assertNull(Security.getProvider(p.getName()), "no Infisical provider installed before this test");
        assertTrue(Security.addProvider(p) > 0);
        try {
            tester.checkEvery("resolves by name after addProvider", e -> {
                for (String name : e.names()) {
                    for (String variant : variants(name)) {
                        assertSame(p, providerOf(instance(e.type(), variant, "Infisical")), variant);
                        boolean onlyHere = Arrays.stream(Security.getProviders())
                                .noneMatch(other -> other != p && other.getService(e.type(), variant) != null);
                        if (onlyHere) {
                            assertSame(p, providerOf(instance(e.type(), variant, null)), variant + " without a provider");
                        }
                    }
                }
            });
        } finally {
            Security.removeProvider(p.getName());
        }
        assertNull(Security.getProvider(p.getName()));
    }

    @Test
    void attributesAndSupportedKeyClasses() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        java.security.KeyPair plainEc = g.generateKeyPair();
        SecretKeySpec plainAes = new SecretKeySpec(new byte[32], "AES");
        tester.checkEvery("attributes", e -> {
            switch (e.type()) {
                case "Signature":
                    if (e.algorithm().startsWith("INFISICAL-")) {
                        assertEquals(Map.of(), e.attributes(), "an Infisical-only name accepts any key it can use");
                        assertNull(e.service().getAttribute("SupportedKeyClasses"));
                        assertTrue(e.service().supportsParameter(plainEc.getPublic()), "verifies any standard public key");
                    } else {
                        assertEquals(Map.of("SupportedKeyClasses", HANDLES), Map.copyOf(e.attributes()));
                        assertEquals(HANDLES, e.service().getAttribute("SupportedKeyClasses"));
                        assertEquals(Set.of(InfisicalPrivateKey.class, InfisicalPublicKey.class), loadClasses(e));
                        assertFalse(e.service().supportsParameter(plainEc.getPrivate()),
                                "a standard name leaves plain keys to the JDK");
                        assertFalse(e.service().supportsParameter(plainEc.getPublic()));
                    }
                    assertTrue(e.service().supportsParameter(keys.rsa()));
                    assertTrue(e.service().supportsParameter(keys.ec().publicKey()));
                    break;
                case "Cipher":
                case "Mac":
                    assertEquals(Map.of("SupportedKeyClasses", ALL_HANDLES), Map.copyOf(e.attributes()));
                    assertEquals(Set.of(InfisicalSecretKey.class, InfisicalPrivateKey.class, InfisicalPublicKey.class),
                            loadClasses(e));
                    assertTrue(e.service().supportsParameter(keys.aes()));
                    assertTrue(e.service().supportsParameter(keys.hmac()));
                    assertTrue(e.service().supportsParameter(keys.rsa()), "a signing handle, to refuse it by name");
                    assertTrue(e.service().supportsParameter(keys.rsa().publicKey()));
                    assertFalse(e.service().supportsParameter(plainAes), "AES/GCM with an ordinary key never lands here");
                    break;
                case "KeyStore":
                    assertEquals(Map.of(), e.attributes());
                    assertThrows(InvalidParameterException.class, () -> e.service().supportsParameter(keys.aes()),
                            "the JCA does not use supportsParameter with KeyStore engines");
                    break;
                default:
                    throw new AssertionError("no attribute rules for service type " + e.type());
            }
        });
    }

    /** getClassName loads and is the engine's SPI; newInstance(null) makes a new one each time. */
    @Test
    void classNamesLoadAndNewInstanceMakesTheSpi() {
        Map<String, Class<?>> spis = Map.of("Signature", SignatureSpi.class, "Cipher", CipherSpi.class, "Mac", MacSpi.class,
                "KeyStore", KeyStoreSpi.class);
        tester.checkEvery("class name and newInstance", e -> {
            assertSame(keys.provider(), e.service().getProvider());
            Class<?> spi = spis.get(e.type());
            assertNotNull(spi, "no SPI class known for type " + e.type());
            Class<?> c = Class.forName(e.service().getClassName(), false, keys.provider().getClass().getClassLoader());
            assertTrue(spi.isAssignableFrom(c), c + " is a " + spi.getSimpleName());
            Object one = e.service().newInstance(null);
            Object two = e.service().newInstance(null);
            assertInstanceOf(c, one);
            assertEquals(c, one.getClass());
            assertNotSame(one, two, "a new engine per call");
            assertThrows(InvalidParameterException.class, () -> e.service().newInstance("unexpected"),
                    "as the JDK's own Service: " + e.type() + " engines take no constructor parameter");
        });
    }

    @Test
    void signatureStateMachine() {
        tester.check("Signature", "state machine", e -> SignatureChecks.stateMachine(e, keys));
    }

    @Test
    void signatureWrongKeys() {
        tester.check("Signature", "wrong keys", e -> SignatureChecks.wrongKeys(e, keys));
    }

    @Test
    void signatureParametersRoundTrip() {
        tester.check("Signature", "parameters", e -> SignatureChecks.parameters(e, keys));
    }

    @Test
    void cipherStateMachine() {
        assertAll(() -> tester.check("Cipher", "before init", e -> CipherChecks.beforeInit(e, keys)),
                () -> tester.check("Cipher", "wrong keys", e -> CipherChecks.wrongKeys(e, keys)),
                () -> tester.check("Cipher", "reusable, getOutputSize bound", e -> CipherChecks.reusableAndBounded(e, keys)),
                () -> tester.check("Cipher", "modes and parameters", e -> CipherChecks.modesAndParameters(e, keys)));
    }

    @Test
    void macStateMachine() {
        assertAll(() -> tester.check("Mac", "before init", e -> MacAndKeyStoreChecks.macBeforeInit(e, keys)),
                () -> tester.check("Mac", "wrong keys", e -> MacAndKeyStoreChecks.macWrongKeys(e, keys)),
                () -> tester.check("Mac", "reusable, getMacLength", e -> MacAndKeyStoreChecks.macReusable(e, keys)));
    }

    @Test
    void keyStoreStateMachine() {
        assertAll(() -> tester.check("KeyStore", "before load", e -> MacAndKeyStoreChecks.keyStoreBeforeLoad(e, keys)),
                () -> tester.check("KeyStore", "loaded, read-only", e -> MacAndKeyStoreChecks.keyStoreLoaded(e, keys)));
    }

    private static Set<Class<?>> loadClasses(ServiceTester.Entry e) throws ClassNotFoundException {
        Set<Class<?>> classes = new java.util.HashSet<>();
        for (String name : e.service().getAttribute("SupportedKeyClasses").split("\\|")) {
            classes.add(Class.forName(name, false, e.service().getProvider().getClass().getClassLoader()));
        }
        return classes;
    }

    private static Set<String> variants(String name) {
        return new TreeSet<>(List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)));
    }

    /** {@code provider} is a Provider, a provider name, or null for the installed providers' order. */
    private static Object instance(String type, String name, Object provider) throws Exception {
        switch (type) {
            case "Signature":
                return provider == null ? Signature.getInstance(name) : provider instanceof Provider
                        ? Signature.getInstance(name, (Provider) provider) : Signature.getInstance(name, (String) provider);
            case "Cipher":
                return provider == null ? Cipher.getInstance(name) : provider instanceof Provider
                        ? Cipher.getInstance(name, (Provider) provider) : Cipher.getInstance(name, (String) provider);
            case "Mac":
                return provider == null ? Mac.getInstance(name) : provider instanceof Provider
                        ? Mac.getInstance(name, (Provider) provider) : Mac.getInstance(name, (String) provider);
            case "KeyStore":
                return provider == null ? KeyStore.getInstance(name) : provider instanceof Provider
                        ? KeyStore.getInstance(name, (Provider) provider) : KeyStore.getInstance(name, (String) provider);
            default:
                throw new AssertionError("no engine class known for service type " + type);
        }
    }

    private static Provider providerOf(Object engine) {
        if (engine instanceof Signature) {
            return ((Signature) engine).getProvider();
        } else if (engine instanceof Cipher) {
            return ((Cipher) engine).getProvider();
        } else if (engine instanceof Mac) {
            return ((Mac) engine).getProvider();
        }
        return ((KeyStore) engine).getProvider();
    }

    private static String algorithmOf(Object engine) {
        if (engine instanceof Signature) {
            return ((Signature) engine).getAlgorithm();
        } else if (engine instanceof Cipher) {
            return ((Cipher) engine).getAlgorithm();
        } else if (engine instanceof Mac) {
            return ((Mac) engine).getAlgorithm();
        }
        return ((KeyStore) engine).getType();
    }
}
