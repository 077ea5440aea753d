package io.github.infisicaljca.reliability;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.CreateKeyRequest;
import io.github.infisicaljca.kms.KeyUpdate;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsClient;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Random;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The world the bad-input table runs in: an emulator with its seeded keys plus four more
 * (an EC signing key and an AES key that are disabled after their handles were taken, an EC
 * signing key deleted after its handle was taken, and a second AES key), one provider, its
 * loaded KeyStore, a KMS client and a valid envelope. Handles are taken before the keys are
 * disabled or deleted, as a long-running application holds them.
 */
final class BadInputFixture implements AutoCloseable {
    static final String RANDOM_UUID = UUID.randomUUID().toString();
    private static BadInputFixture current;

    final KmsEmulator kms = KmsEmulator.builder().start();
    final InfisicalProvider provider;
    final KmsClient client;
    final KeyStore ks;
    final PrivateKey rsa;
    final PrivateKey ec;
    final SecretKey aes;
    final SecretKey hmac;
    final SecretKey otherAes;
    final PrivateKey disabledEc;
    final SecretKey disabledAes;
    final PrivateKey deletedEc;
    final String otherAesId;
    final String disabledEcId;
    final String disabledAesId;
    final String deletedEcId;
    final KeyPair jdkRsa;
    final byte[] envelope;

    BadInputFixture() throws Exception {
        InfisicalConfig config = config().build();
        client = KmsClient.create(config);
        disabledEcId = create("disabled-ec", KeyUsage.SIGN_VERIFY, "ECC_NIST_P256");
        deletedEcId = create("deleted-ec", KeyUsage.SIGN_VERIFY, "ECC_NIST_P256");
        disabledAesId = create("disabled-aes", KeyUsage.ENCRYPT_DECRYPT, "aes-256-gcm");
        otherAesId = create("other-aes", KeyUsage.ENCRYPT_DECRYPT, "aes-256-gcm");
        provider = new InfisicalProvider(config);
        ks = KeyStore.getInstance("INFISICAL", provider);
        ks.load(null, null);
        rsa = (PrivateKey) ks.getKey(KmsEmulator.SIGNING_KEY, null);
        ec = (PrivateKey) ks.getKey(KmsEmulator.EC_SIGNING_KEY, null);
        aes = (SecretKey) ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
        hmac = (SecretKey) ks.getKey(KmsEmulator.HMAC_KEY, null);
        otherAes = (SecretKey) ks.getKey("other-aes", null);
        disabledEc = (PrivateKey) ks.getKey("disabled-ec", null);
        disabledAes = (SecretKey) ks.getKey("disabled-aes", null);
        deletedEc = (PrivateKey) ks.getKey("deleted-ec", null);
        client.updateKey(disabledEcId, KeyUpdate.disable());
        client.updateKey(disabledAesId, KeyUpdate.disable());
        client.deleteKey(deletedEcId);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        jdkRsa = g.generateKeyPair();
        current = this;
        envelope = cipher("INFISICAL-ENVELOPE", Cipher.ENCRYPT_MODE, aes).doFinal(bytes(100));
    }

    InfisicalConfig.Builder config() {
        return InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString()).clientId(kms.clientId())
                .clientSecret(kms.clientSecret()).projectId(kms.projectId());
    }

    /** A valid inline configuration (with the real client secret in it) plus one more line. */
    String valid(String extraLine) {
        return "--infisical.url=" + kms.url() + "\ninfisical.clientId=" + kms.clientId() + "\ninfisical.clientSecret="
                + kms.clientSecret() + "\ninfisical.projectId=" + kms.projectId() + "\n" + extraLine + "\n";
    }

    private String create(String name, KeyUsage usage, String algorithm) throws Exception {
        return client.createKey(CreateKeyRequest.builder(kms.projectId(), name).keyUsage(usage).algorithm(algorithm)
                .build()).id();
    }

    /** Deterministic bytes; the same size gives the same bytes. */
    static byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(size * 31L + 7).nextBytes(b);
        return b;
    }

    static Signature sig(String algorithm) throws GeneralSecurityException {
        return Signature.getInstance(algorithm, current.provider);
    }

    static Signature signer(String algorithm, PrivateKey key) throws GeneralSecurityException {
        Signature s = sig(algorithm);
        s.initSign(key);
        return s;
    }

    /** RSASSA-PSS initialised for signing with the RSA handle, then given these parameters. */
    static Signature pss(AlgorithmParameterSpec params) throws GeneralSecurityException {
        Signature s = sig("RSASSA-PSS");
        s.initSign(current.rsa);
        s.setParameter(params);
        return s;
    }

    static Cipher cipher(String transformation, int mode, Key key) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(transformation, current.provider);
        c.init(mode, key);
        return c;
    }

    static Mac mac(Key key) throws GeneralSecurityException {
        Mac m = Mac.getInstance("INFISICAL-HMAC", current.provider);
        m.init(key);
        return m;
    }

    @Override
    public void close() {
        client.close();
        kms.close();
    }
}
