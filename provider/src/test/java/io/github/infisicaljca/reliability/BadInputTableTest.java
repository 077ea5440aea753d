package io.github.infisicaljca.reliability;

import static io.github.infisicaljca.reliability.BadInputFixture.RANDOM_UUID;
import static io.github.infisicaljca.reliability.BadInputFixture.bytes;
import static io.github.infisicaljca.reliability.BadInputFixture.cipher;
import static io.github.infisicaljca.reliability.BadInputFixture.mac;
import static io.github.infisicaljca.reliability.BadInputFixture.pss;
import static io.github.infisicaljca.reliability.BadInputFixture.sig;
import static io.github.infisicaljca.reliability.BadInputFixture.signer;
import static javax.crypto.Cipher.DECRYPT_MODE;
import static javax.crypto.Cipher.ENCRYPT_MODE;
import static javax.crypto.Cipher.UNWRAP_MODE;
import static javax.crypto.Cipher.WRAP_MODE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.kms.KmsApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.AEADBadTagException;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table: one row per wrong call, with the exact exception class and a part of the
 * message that names the problem, run against an in-process emulator. Rows whose exception comes
 * from the JDK's own engine classes (Signature, Cipher, Mac, KeyStore) record what the JDK does.
 * No message anywhere in a cause chain may contain the client secret.
 */
class BadInputTableTest {
    /** A call that returns something (or nothing: {@code null}). */
    interface Call {
        Object run() throws Exception;
    }

    /** A void call. */
    interface VoidCall {
        void run() throws Exception;
    }

    /** {@code expected == null}: the call must return {@code null} without throwing. */
    record Row(String description, Call call, Class<? extends Throwable> expected, List<String> messageParts,
            Class<? extends Throwable> causeInChain) {
        Row withCause(Class<? extends Throwable> cause) {
            return new Row(description, call, expected, messageParts, cause);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final AtomicInteger AS_EXPECTED = new AtomicInteger();
    private static BadInputFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new BadInputFixture();
    }

    @AfterAll
    static void stop() {
        int rows = rows().size();
        System.out.println("bad-input table: " + rows + " rows, " + AS_EXPECTED.get() + " as expected");
        if (f != null) {
            f.close();
        }
    }

    static Row row(String description, Class<? extends Throwable> expected, Call call, String... parts) {
        return new Row(description, call, expected, List.of(parts), null);
    }

    static Row rowV(String description, Class<? extends Throwable> expected, VoidCall call, String... parts) {
        return row(description, expected, () -> {
            call.run();
            return null;
        }, parts);
    }

    static Row returnsNull(String description, Call call) {
        return new Row(description, call, null, List.of(), null);
    }

    static List<Row> rows() {
        byte[] b = bytes(8);
        return List.of(
            // ---- Signature ----------------------------------------------------------------
            rowV("Signature.update(null) (the JDK's own check)", NullPointerException.class,
                () -> signer("INFISICAL-RSA", f.rsa).update((byte[]) null), "null"),
            rowV("Signature.update(b, -1, 3)", IllegalArgumentException.class,
                () -> signer("INFISICAL-RSA", f.rsa).update(b, -1, 3), "less than 0"),
            rowV("Signature.update(b, 0, b.length + 1)", IllegalArgumentException.class,
                () -> signer("INFISICAL-RSA", f.rsa).update(b, 0, b.length + 1), "data too small"),
            row("Signature.sign before init", SignatureException.class,
                () -> sig("INFISICAL-RSA").sign(), "not initialized"),
            rowV("Signature.initSign(null)", InvalidKeyException.class,
                () -> sig("INFISICAL-RSA").initSign(null), "Infisical private-key handle", "not null"),
            rowV("INFISICAL-RSA initSign with an EC handle", InvalidKeyException.class,
                () -> sig("INFISICAL-RSA").initSign(f.ec), "needs an RSA key", f.kms.keyId("ec-signing-key")),
            rowV("INFISICAL-RSA initSign with a plain JDK RSA private key", InvalidKeyException.class,
                () -> sig("INFISICAL-RSA").initSign(f.jdkRsa.getPrivate()), "Infisical private-key handle",
                "RSA key of class"),
            rowV("SHA256withECDSA initSign with an RSA handle", InvalidKeyException.class,
                () -> sig("SHA256withECDSA").initSign(f.rsa), "needs an EC key", f.kms.signingKeyId()),
            rowV("INFISICAL-ECDSA initVerify with a JDK RSA public key", InvalidKeyException.class,
                () -> sig("INFISICAL-ECDSA").initVerify(f.jdkRsa.getPublic()), "needs an EC key"),
            rowV("INFISICAL-RSA initVerify(null)", InvalidKeyException.class,
                () -> sig("INFISICAL-RSA").initVerify((java.security.PublicKey) null), "public key is null"),
            rowV("RSASSA-PSS with salt 20", InvalidAlgorithmParameterException.class,
                () -> pss(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1)), "salt 20",
                "salt as long as the digest"),
            rowV("RSASSA-PSS with MGF1 SHA-1", InvalidAlgorithmParameterException.class,
                () -> pss(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA1, 32, 1)), "MGF1(SHA-1)"),
            rowV("RSASSA-PSS with trailer 2", InvalidAlgorithmParameterException.class,
                () -> pss(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 2)), "trailer 2"),
            rowV("RSASSA-PSS with SHA-1", InvalidAlgorithmParameterException.class,
                () -> pss(PSSParameterSpec.DEFAULT), "SHA-1"),
            rowV("INFISICAL-RSA setParameter(PSS spec)", InvalidAlgorithmParameterException.class,
                () -> sig("INFISICAL-RSA").setParameter(new PSSParameterSpec("SHA-256", "MGF1",
                        MGF1ParameterSpec.SHA256, 32, 1)), "takes no parameters"),
            rowV("PSS message longer than maxPayloadBytes", SignatureException.class,
                () -> signer("INFISICAL-RSA-PSS", f.rsa).update(bytes(4097)), "longer than infisical.maxPayloadBytes"),
            row("empty PSS message", SignatureException.class,
                () -> signer("INFISICAL-RSA-PSS", f.rsa).sign(), "empty message"),
            row("sign with a disabled key", SignatureException.class,
                () -> sign(f.disabledEc), "Key is disabled", f.disabledEcId).withCause(KmsApiException.class),
            row("sign with a deleted key", SignatureException.class,
                () -> sign(f.deletedEc), "404", "Key not found", f.deletedEcId).withCause(KmsApiException.class),
            // ---- Cipher INFISICAL-AES -----------------------------------------------------------
            row("INFISICAL-AES/GCM/NoPadding", NoSuchAlgorithmException.class,
                () -> javax.crypto.Cipher.getInstance("INFISICAL-AES/GCM/NoPadding", f.provider),
                "INFISICAL-AES/GCM/NoPadding"),
            row("INFISICAL-AES/NONE/PKCS5Padding", NoSuchPaddingException.class,
                () -> javax.crypto.Cipher.getInstance("INFISICAL-AES/NONE/PKCS5Padding", f.provider),
                "has no padding", "PKCS5Padding"),
            row("INFISICAL-AES init with a signing handle", InvalidKeyException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, f.rsa), "is a sign-verify key", "needs an encrypt-decrypt key"),
            row("INFISICAL-AES init with a SecretKeySpec", InvalidKeyException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES")),
                "secret-key handle", "SecretKeySpec"),
            row("INFISICAL-AES init with an HMAC handle", InvalidKeyException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, f.hmac), "needs an encrypt-decrypt key", f.kms.keyId("hmac-key")),
            row("INFISICAL-AES init with operation mode 99", InvalidParameterException.class,
                () -> cipher("INFISICAL-AES", 99, f.aes), "Invalid operation mode"),
            row("INFISICAL-AES doFinal before init", IllegalStateException.class,
                () -> javax.crypto.Cipher.getInstance("INFISICAL-AES", f.provider).doFinal(b), "not initialized"),
            row("INFISICAL-AES doFinal(null)", IllegalArgumentException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, f.aes).doFinal(null), "Null input buffer"),
            row("INFISICAL-AES update(b, -1, 3)", IllegalArgumentException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, f.aes).update(b, -1, 3), "Bad arguments"),
            row("INFISICAL-AES empty plaintext", IllegalBlockSizeException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, f.aes).doFinal(new byte[0]), "empty plaintext"),
            row("INFISICAL-AES 4066 bytes", IllegalBlockSizeException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, f.aes).doFinal(bytes(4066)), "at most 4065 bytes",
                "INFISICAL-ENVELOPE"),
            row("INFISICAL-AES decrypt of 10 bytes", AEADBadTagException.class,
                () -> cipher("INFISICAL-AES", DECRYPT_MODE, f.aes).doFinal(bytes(10)), "10 bytes", "truncated"),
            row("INFISICAL-AES decrypt of random 100 bytes", AEADBadTagException.class,
                () -> cipher("INFISICAL-AES", DECRYPT_MODE, f.aes).doFinal(bytes(100)), "refused to decrypt")
                .withCause(KmsApiException.class),
            rowV("INFISICAL-AES updateAAD", UnsupportedOperationException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, f.aes).updateAAD(b), "no AAD"),
            rowV("INFISICAL-AES init with a GCMParameterSpec", InvalidAlgorithmParameterException.class,
                () -> javax.crypto.Cipher.getInstance("INFISICAL-AES", f.provider).init(ENCRYPT_MODE, f.aes,
                        new GCMParameterSpec(128, new byte[12])), "takes no parameters"),
            row("INFISICAL-AES WRAP of a key with a null encoding", InvalidKeyException.class,
                () -> cipher("INFISICAL-AES", WRAP_MODE, f.aes).wrap(f.rsa), "has none"),
            row("INFISICAL-AES UNWRAP of random bytes", InvalidKeyException.class,
                () -> cipher("INFISICAL-AES", UNWRAP_MODE, f.aes).unwrap(bytes(100), "AES", javax.crypto.Cipher.SECRET_KEY),
                "cannot unwrap").withCause(AEADBadTagException.class),
            row("INFISICAL-AES encrypt with the disabled key", IllegalBlockSizeException.class,
                () -> cipher("INFISICAL-AES", ENCRYPT_MODE, f.disabledAes).doFinal(b), "Key is disabled",
                f.disabledAesId).withCause(KmsApiException.class),
            // ---- Cipher INFISICAL-ENVELOPE ------------------------------------------------------
            row("INFISICAL-ENVELOPE truncated header", AEADBadTagException.class,
                () -> cipher("INFISICAL-ENVELOPE", DECRYPT_MODE, f.aes).doFinal(Arrays.copyOf(f.envelope, 10)),
                "truncated", "header"),
            row("INFISICAL-ENVELOPE truncated last segment", AEADBadTagException.class,
                () -> cipher("INFISICAL-ENVELOPE", DECRYPT_MODE, f.aes)
                        .doFinal(Arrays.copyOf(f.envelope, f.envelope.length - 1)), "segment 0"),
            row("INFISICAL-ENVELOPE random bytes", AEADBadTagException.class,
                () -> cipher("INFISICAL-ENVELOPE", DECRYPT_MODE, f.aes).doFinal(bytes(100)), "bad magic"),
            row("INFISICAL-ENVELOPE WRAP_MODE", UnsupportedOperationException.class,
                () -> cipher("INFISICAL-ENVELOPE", WRAP_MODE, f.aes), "wrap keys with INFISICAL-AES"),
            rowV("INFISICAL-ENVELOPE updateAAD after data", IllegalStateException.class, () -> {
                javax.crypto.Cipher c = cipher("INFISICAL-ENVELOPE", ENCRYPT_MODE, f.aes);
                c.update(b);
                c.updateAAD(b);
            }, "AAD only before the data"),
            row("INFISICAL-ENVELOPE decrypt with another AES key", AEADBadTagException.class,
                () -> cipher("INFISICAL-ENVELOPE", DECRYPT_MODE, f.otherAes).doFinal(f.envelope),
                f.kms.encryptionKeyId(), f.otherAesId),
            row("INFISICAL-ENVELOPE init with an HMAC handle", InvalidKeyException.class,
                () -> cipher("INFISICAL-ENVELOPE", ENCRYPT_MODE, f.hmac), "encrypt-decrypt", f.kms.keyId("hmac-key")),
            row("INFISICAL-ENVELOPE encrypt with the disabled key", InvalidKeyException.class,
                () -> cipher("INFISICAL-ENVELOPE", ENCRYPT_MODE, f.disabledAes), "Key is disabled", f.disabledAesId)
                .withCause(KmsApiException.class),
            // ---- Mac INFISICAL-HMAC -------------------------------------------------------------
            row("INFISICAL-HMAC doFinal before init", IllegalStateException.class,
                () -> javax.crypto.Mac.getInstance("INFISICAL-HMAC", f.provider).doFinal(b), "not initialized"),
            row("INFISICAL-HMAC init(null)", InvalidKeyException.class, () -> mac(null), "secret-key handle", "null"),
            row("INFISICAL-HMAC init with an AES handle", InvalidKeyException.class,
                () -> mac(f.aes), "generate-verify-mac", f.kms.encryptionKeyId()),
            row("INFISICAL-HMAC empty message", IllegalStateException.class,
                () -> mac(f.hmac).doFinal(), "empty message"),
            row("INFISICAL-HMAC message longer than maxPayloadBytes", IllegalStateException.class,
                () -> mac(f.hmac).doFinal(bytes(4097)), "at most 4096 bytes"),
            rowV("INFISICAL-HMAC update(b, -1, 3)", IllegalArgumentException.class,
                () -> mac(f.hmac).update(b, -1, 3), "Bad arguments"),
            rowV("INFISICAL-HMAC init with parameters", InvalidAlgorithmParameterException.class,
                () -> javax.crypto.Mac.getInstance("INFISICAL-HMAC", f.provider).init(f.hmac,
                        new IvParameterSpec(new byte[16])), "takes no parameters"),
            // ---- KeyStore INFISICAL -------------------------------------------------------------
            row("KeyStore.getKey before load", KeyStoreException.class,
                () -> KeyStore.getInstance("INFISICAL", f.provider).getKey("signing-key", null), "Uninitialized"),
            rowV("KeyStore.load(a stream)", IOException.class,
                () -> KeyStore.getInstance("INFISICAL", f.provider).load(new ByteArrayInputStream(b), null),
                "load(null, null)"),
            rowV("KeyStore.setKeyEntry", KeyStoreException.class,
                () -> f.ks.setKeyEntry("x", new SecretKeySpec(new byte[16], "AES"), null, null), "read-only"),
            rowV("KeyStore.deleteEntry", KeyStoreException.class, () -> f.ks.deleteEntry("signing-key"), "read-only"),
            rowV("KeyStore.store", IOException.class, () -> f.ks.store(new ByteArrayOutputStream(), null), "read-only"),
            returnsNull("KeyStore.getKey of a name that does not exist", () -> f.ks.getKey("no-such-key", null)),
            returnsNull("KeyStore.getKey of a key id that does not exist", () -> f.ks.getKey(RANDOM_UUID, null)),
            returnsNull("KeyStore.getKey(null)", () -> f.ks.getKey(null, null)),
            // ---- configuration ------------------------------------------------------------------
            row("configure: infisical.url=ftp://x", InfisicalConfigException.class,
                () -> configure("--infisical.url=ftp://x"), "infisical.url", "http:// or https://"),
            row("configure: infisical.maxRetries=-1", InfisicalConfigException.class,
                () -> configure(f.valid("infisical.maxRetries=-1")), "infisical.maxRetries", "between 0 and 10", "-1"),
            row("configure: infisical.requestTimeoutMillis=soon", InfisicalConfigException.class,
                () -> configure(f.valid("infisical.requestTimeoutMillis=soon")), "infisical.requestTimeoutMillis",
                "whole number", "soon"),
            row("configure: infisical.verify=sometimes", InfisicalConfigException.class,
                () -> configure(f.valid("infisical.verify=sometimes")), "infisical.verify", "'local' or 'remote'"),
            row("configure: infisical.allowInsecureHttp=yes", InfisicalConfigException.class,
                () -> configure(f.valid("infisical.allowInsecureHttp=yes")), "infisical.allowInsecureHttp",
                "true or false"),
            row("configure: a file that does not exist", InfisicalConfigException.class,
                () -> configure("/no/such/file.properties"), "/no/such/file.properties", "does not exist"),
            row("configure(null)", InfisicalConfigException.class, () -> configure(null), "configure argument is empty"),
            row("configure: infisical.unknownKey=1", InfisicalConfigException.class,
                () -> configure(f.valid("infisical.unknownKey=1")), "unknown configuration key 'infisical.unknownKey'"),
            row("configure: a stray line holding the secret is not echoed", InfisicalConfigException.class,
                () -> configure(f.valid(f.kms.clientSecret())), "outside infisical.*", "not shown"),
            row("configure: a URL without scheme carrying credentials is not echoed", InfisicalConfigException.class,
                () -> configure(f.valid("infisical.url=//admin:" + f.kms.clientSecret() + "@kms.example.com")),
                "infisical.url", "not shown"),
            row("InfisicalConfig with only clientId", InfisicalConfigException.class,
                () -> InfisicalConfig.builder().withoutAmbientSources().url(f.kms.url().toString())
                        .clientId(f.kms.clientId()).build(), "infisical.clientSecret", "is not"),
            // ---- KmsClient ----------------------------------------------------------------------
            row("KmsClient.encrypt with key id ../../etc", IllegalArgumentException.class,
                () -> f.client.encrypt("../../etc", b), "'../../etc'", "not a UUID"),
            row("KmsClient.encrypt of null data", IllegalArgumentException.class,
                () -> f.client.encrypt(f.kms.encryptionKeyId(), null), "plaintext", "empty"),
            row("KmsClient.sign with a null algorithm", IllegalArgumentException.class,
                () -> f.client.sign(f.kms.signingKeyId(), null, b, false), "signing algorithm is required"));
    }

    private static byte[] sign(java.security.PrivateKey key) throws Exception {
        java.security.Signature s = signer("INFISICAL-ECDSA", key);
        s.update(bytes(16));
        return s.sign();
    }

    private static Object configure(String argument) {
        return new InfisicalProvider().configure(argument);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("rows")
    void badInput(Row r) {
        Object[] outcome = outcome(r.call());
        Object result = outcome[0];
        Throwable thrown = (Throwable) outcome[1];
        if (r.expected() == null) {
            assertNull(thrown, () -> r + ": expected null, got " + trace(thrown));
            assertNull(result, r + ": expected null, got " + result);
        } else {
            assertNotNull(thrown, r + ": expected " + r.expected().getSimpleName() + ", but it returned " + result);
            assertSame(r.expected(), thrown.getClass(), () -> r + ": wrong exception " + trace(thrown));
            String message = thrown.getMessage();
            assertNotNull(message, r + ": no message");
            for (String part : r.messageParts()) {
                assertTrue(message.contains(part), r + ": message lacks '" + part + "': " + message);
            }
            if (r.causeInChain() != null) {
                assertTrue(inChain(thrown, r.causeInChain()), () -> r + ": no " + r.causeInChain().getSimpleName()
                        + " in the cause chain of " + trace(thrown));
            }
            for (Throwable c = thrown; c != null; c = c.getCause()) {
                String text = c + " " + c.getMessage();
                assertFalse(text.contains(f.kms.clientSecret()), r + ": the client secret is in " + text);
            }
        }
        AS_EXPECTED.incrementAndGet();
    }

    /** {result, null} or {null, thrown}. */
    private static Object[] outcome(Call call) {
        try {
            return new Object[] {call.run(), null};
        } catch (Throwable t) {
            return new Object[] {null, t};
        }
    }

    private static boolean inChain(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String trace(Throwable t) {
        if (t == null) {
            return "nothing";
        }
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
