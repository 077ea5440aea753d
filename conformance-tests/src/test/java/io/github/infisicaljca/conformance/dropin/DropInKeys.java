package io.github.infisicaljca.conformance.dropin;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.CreateKeyRequest;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsClient;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The drop-in suites' keys: one in-process KMS emulator per JVM (no rate limits: the builder's
 * default), reached by the provider over loopback HTTP, with a KMS handle and an ordinary public
 * key for each key kind a library needs. Handles come from the {@code INFISICAL} KeyStore by
 * name, as a user gets them; the ordinary public keys come from the server's own public-key
 * answer through {@link KeyFactory}, so that no check verifies with anything of the provider's.
 */
public final class DropInKeys {
    /** A key kind: its Infisical algorithm and its name in the emulator's project. */
    public enum Kind {
        RSA(KmsEmulator.SIGNING_KEY, "RSA_4096", "RSA", null),
        EC_P256(KmsEmulator.EC_SIGNING_KEY, "ECC_NIST_P256", "EC", "secp256r1"),
        EC_P384("dropin-ec-p384", "ECC_NIST_P384", "EC", "secp384r1"),
        EC_P521("dropin-ec-p521", "ECC_NIST_P521", "EC", "secp521r1");

        final String keyName;
        final String kmsAlgorithm;
        final String jcaAlgorithm;
        final String curve;

        Kind(String keyName, String kmsAlgorithm, String jcaAlgorithm, String curve) {
            this.keyName = keyName;
            this.kmsAlgorithm = kmsAlgorithm;
            this.jcaAlgorithm = jcaAlgorithm;
            this.curve = curve;
        }
    }

    /** A KMS handle, the self-signed certificate the KeyStore gives for it, and its plain public key. */
    public record Key(InfisicalPrivateKey handle, X509Certificate certificate, PublicKey publicKey) {
    }

    private static DropInKeys shared;

    private final KmsEmulator kms;
    private final InfisicalProvider provider;
    private final Map<Kind, Key> keys = new LinkedHashMap<>();
    private final Map<Kind, KeyPair> ordinary = new LinkedHashMap<>();

    private DropInKeys() throws Exception {
        kms = KmsEmulator.builder().start();
        try {
            InfisicalConfig config = InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString())
                    .clientId(kms.clientId()).clientSecret(kms.clientSecret()).projectId(kms.projectId()).build();
            provider = new InfisicalProvider(config);
            try (KmsClient client = KmsClient.create(config)) {
                // The emulator seeds RSA 4096 and P-256 keys; ES384 and ES512 need keys on their own curves.
                for (Kind k : new Kind[] {Kind.EC_P384, Kind.EC_P521}) {
                    client.createKey(CreateKeyRequest.builder(kms.projectId(), k.keyName).keyUsage(KeyUsage.SIGN_VERIFY)
                            .algorithm(k.kmsAlgorithm).build());
                }
                KeyStore ks = KeyStore.getInstance("INFISICAL", provider);
                ks.load(null, null);
                for (Kind k : Kind.values()) {
                    InfisicalPrivateKey handle = (InfisicalPrivateKey) ks.getKey(k.keyName, null);
                    byte[] spki = client.publicKey(handle.keyId());
                    PublicKey plain = KeyFactory.getInstance(k.jcaAlgorithm).generatePublic(new X509EncodedKeySpec(spki));
                    keys.put(k, new Key(handle, (X509Certificate) ks.getCertificate(k.keyName), plain));
                }
            }
        } catch (Exception | Error e) {
            kms.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(kms::close, "dropin-emulator-stop"));
    }

    /** The shared fixture, started on first use and stopped when the JVM exits. */
    public static synchronized DropInKeys get() throws Exception {
        if (shared == null) {
            shared = new DropInKeys();
        }
        return shared;
    }

    /** {@return a provider configured for this emulator only, not registered in {@link java.security.Security}} */
    public InfisicalProvider provider() {
        return provider;
    }

    /**
     * The handle, certificate and plain public key of a key kind.
     *
     * @param kind the kind
     * @return its key
     */
    public Key key(Kind kind) {
        return keys.get(kind);
    }

    /**
     * An ordinary JDK key pair of the kind (RSA 2048, or the kind's curve), made once: what the
     * position-1 checks sign with, to show the JDK still gets ordinary keys.
     *
     * @param kind the kind
     * @return the key pair
     * @throws GeneralSecurityException when the JDK cannot make it
     */
    public synchronized KeyPair ordinary(Kind kind) throws GeneralSecurityException {
        KeyPair pair = ordinary.get(kind);
        if (pair == null) {
            KeyPairGenerator g = KeyPairGenerator.getInstance(kind.jcaAlgorithm);
            if (kind == Kind.RSA) {
                g.initialize(2048);
            } else {
                g.initialize(new ECGenParameterSpec(kind.curve));
            }
            pair = g.generateKeyPair();
            ordinary.put(kind, pair);
        }
        return pair;
    }
}
