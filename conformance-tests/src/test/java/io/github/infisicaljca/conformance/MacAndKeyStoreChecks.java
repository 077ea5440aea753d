package io.github.infisicaljca.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.function.Executable;

/** The {@link Mac} and {@link KeyStore} contracts as the JDK documents them, on one registered service. */
final class MacAndKeyStoreChecks {
    private static final byte[] A = "first part, ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "second part".getBytes(StandardCharsets.UTF_8);

    private MacAndKeyStoreChecks() {
    }

    static void macBeforeInit(ServiceTester.Entry e, SeededKeys k) throws Exception {
        Mac m = Mac.getInstance(e.algorithm(), k.provider());
        assertThrows(IllegalStateException.class, () -> m.update((byte) 1), "update(byte) before init");
        assertThrows(IllegalStateException.class, () -> m.update(A), "update(byte[]) before init");
        assertThrows(IllegalStateException.class, () -> m.update(A, 0, 2), "update(byte[],int,int) before init");
        assertThrows(IllegalStateException.class, () -> m.update(ByteBuffer.wrap(A)), "update(ByteBuffer) before init");
        assertThrows(IllegalStateException.class, () -> m.doFinal(), "doFinal() before init");
        assertThrows(IllegalStateException.class, () -> m.doFinal(A), "doFinal(byte[]) before init");
        assertThrows(IllegalStateException.class, () -> m.doFinal(new byte[64], 0), "doFinal(out, off) before init");
    }

    static void macWrongKeys(ServiceTester.Entry e, SeededKeys k) throws Exception {
        Mac m = Mac.getInstance(e.algorithm(), k.provider());
        List<Key> wrong = Arrays.asList(new SecretKeySpec(new byte[32], "HmacSHA256"), k.aes(), k.rsa(), null);
        for (Key key : wrong) {
            assertThrows(InvalidKeyException.class, () -> m.init(key),
                    "init with " + (key == null ? "null" : key.getClass().getName() + " " + key.getAlgorithm()));
        }
        assertThrows(InvalidAlgorithmParameterException.class, () -> m.init(k.hmac(), new IvParameterSpec(new byte[16])),
                "INFISICAL-HMAC takes no parameters");
    }

    /** getMacLength is what doFinal returns; doFinal and reset leave the Mac as init left it. */
    static void macReusable(ServiceTester.Entry e, SeededKeys k) throws Exception {
        Mac m = Mac.getInstance(e.algorithm(), k.provider());
        m.init(k.hmac());
        byte[] ab = concat(A, B);
        byte[] whole = m.doFinal(ab);
        assertEquals(m.getMacLength(), whole.length, "getMacLength() == doFinal().length");
        assertEquals(32, whole.length, "the seeded key is HMAC_SHA_256");
        assertArrayEquals(whole, m.doFinal(ab), "the same message again after doFinal");
        m.update(A);
        m.update(ByteBuffer.wrap(B));
        assertArrayEquals(whole, m.doFinal(), "the message in parts");
        m.update("abandoned".getBytes(StandardCharsets.UTF_8));
        m.reset();
        assertArrayEquals(whole, m.doFinal(ab), "reset() discards what came before");
        m.update("abandoned".getBytes(StandardCharsets.UTF_8));
        m.init(k.hmac());
        assertArrayEquals(whole, m.doFinal(ab), "a new init discards what came before");
        assertFalse(Arrays.equals(whole, m.doFinal(A)), "another message, another MAC");
        m.update(ab);
        assertThrows(ShortBufferException.class, () -> m.doFinal(new byte[whole.length + 2], 3), "a short output buffer");
        byte[] out = new byte[whole.length + 3];
        m.doFinal(out, 3);
        assertArrayEquals(whole, Arrays.copyOfRange(out, 3, out.length),
                "after a ShortBufferException the message is still there");
    }

    /** KeyStore javadoc: every method but load on an unloaded store throws KeyStoreException. */
    static void keyStoreBeforeLoad(ServiceTester.Entry e, SeededKeys k) throws Exception {
        KeyStore ks = KeyStore.getInstance(e.algorithm(), k.provider());
        Certificate cert = k.keyStore().getCertificate(SeededKeys.RSA);
        KeyStore.PasswordProtection none = new KeyStore.PasswordProtection(null);
        List<Executable> calls = List.of(ks::aliases, () -> ks.containsAlias(SeededKeys.RSA), ks::size,
                () -> ks.getKey(SeededKeys.RSA, null), () -> ks.getCertificate(SeededKeys.RSA),
                () -> ks.getCertificateChain(SeededKeys.RSA), () -> ks.getCreationDate(SeededKeys.RSA),
                () -> ks.isKeyEntry(SeededKeys.RSA), () -> ks.isCertificateEntry(SeededKeys.RSA),
                () -> ks.getCertificateAlias(cert), () -> ks.getEntry(SeededKeys.RSA, null),
                () -> ks.entryInstanceOf(SeededKeys.RSA, KeyStore.PrivateKeyEntry.class),
                () -> ks.setKeyEntry("x", k.aes(), null, null), () -> ks.setKeyEntry("x", new byte[1], null),
                () -> ks.setCertificateEntry("x", cert), () -> ks.setEntry("x", new KeyStore.SecretKeyEntry(k.aes()), none),
                () -> ks.deleteEntry(SeededKeys.RSA), () -> ks.store(new ByteArrayOutputStream(), null));
        for (int i = 0; i < calls.size(); i++) {
            assertThrows(KeyStoreException.class, calls.get(i), "call #" + i + " of KeyStore before load");
        }
        assertThrows(IOException.class, () -> ks.load(new ByteArrayInputStream(new byte[1]), null),
                "load from a stream: the store has no file");
    }

    /** After load(null, null): reads answer, writes are KeyStoreException (store an IOException), load again works. */
    static void keyStoreLoaded(ServiceTester.Entry e, SeededKeys k) throws Exception {
        KeyStore ks = KeyStore.getInstance(e.algorithm(), k.provider());
        ks.load(null, null);
        List<String> aliases = Collections.list(ks.aliases());
        assertTrue(aliases.containsAll(List.of(SeededKeys.RSA, SeededKeys.EC, SeededKeys.AES, SeededKeys.HMAC)),
                "the seeded keys are listed: " + aliases);
        assertEquals(aliases.size(), ks.size());
        for (String alias : List.of(SeededKeys.RSA, SeededKeys.EC, SeededKeys.AES, SeededKeys.HMAC)) {
            assertTrue(ks.containsAlias(alias) && ks.isKeyEntry(alias), alias);
            assertFalse(ks.isCertificateEntry(alias), alias);
            assertNotNull(ks.getCreationDate(alias), alias);
        }
        assertNull(ks.getKey("no-such-key", null));
        assertNull(ks.getCertificate("no-such-key"));
        assertNull(ks.getCertificate(SeededKeys.AES), "a secret key has no certificate");
        Certificate cert = ks.getCertificate(SeededKeys.RSA);
        assertArrayEquals(new Certificate[] {cert}, ks.getCertificateChain(SeededKeys.RSA));
        assertEquals(SeededKeys.RSA, ks.getCertificateAlias(cert));
        assertEquals(k.rsa(), ks.getKey(SeededKeys.RSA, null));
        assertEquals(k.rsa(), ks.getKey(k.emulator().signingKeyId(), null), "a key id works as an alias");
        assertEquals(k.aes(), ks.getKey(k.emulator().encryptionKeyId(), null));
        KeyStore.PrivateKeyEntry pke = assertInstanceOf(KeyStore.PrivateKeyEntry.class, ks.getEntry(SeededKeys.RSA, null));
        assertEquals(k.rsa(), pke.getPrivateKey());
        assertEquals(cert, pke.getCertificate());
        assertTrue(ks.entryInstanceOf(SeededKeys.AES, KeyStore.SecretKeyEntry.class));
        assertEquals(k.hmac(), assertInstanceOf(KeyStore.SecretKeyEntry.class, ks.getEntry(SeededKeys.HMAC, null)).getSecretKey());

        KeyStore.PasswordProtection none = new KeyStore.PasswordProtection(null);
        List<Executable> writes = List.of(() -> ks.setKeyEntry("x", k.aes(), null, null),
                () -> ks.setKeyEntry("x", new byte[1], null), () -> ks.setCertificateEntry("x", cert),
                () -> ks.setEntry("x", new KeyStore.SecretKeyEntry(k.aes()), none), () -> ks.deleteEntry(SeededKeys.RSA));
        for (int i = 0; i < writes.size(); i++) {
            assertThrows(KeyStoreException.class, writes.get(i), "write #" + i + " on the read-only store");
        }
        assertThrows(IOException.class, () -> ks.store(new ByteArrayOutputStream(), null), "store of the read-only store");
        assertTrue(ks.containsAlias(SeededKeys.RSA), "a refused delete leaves the entry");
        ks.load(null, null);
        assertEquals(aliases.size(), ks.size(), "loaded again");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
