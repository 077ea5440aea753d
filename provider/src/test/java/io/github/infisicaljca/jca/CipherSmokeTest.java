package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CipherSmokeTest {
    @Test
    void aesEnvelopeAndMacWork() throws Exception {
        try (EmulatorFixture f = new EmulatorFixture(KmsEmulator.builder())) {
            InfisicalProvider p = f.provider();
            KeyStore ks = f.keyStore(p);
            Key aes = ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
            Cipher c = Cipher.getInstance("INFISICAL-AES", p);
            c.init(Cipher.ENCRYPT_MODE, aes);
            byte[] ct = c.doFinal("hi".getBytes());
            c.init(Cipher.DECRYPT_MODE, aes);
            assertArrayEquals("hi".getBytes(), c.doFinal(ct));

            for (int size : new int[] {0, 1, 65535, 65536, 65537, 300_000}) {
                byte[] data = new byte[size];
                new Random(size).nextBytes(data);
                Cipher e = Cipher.getInstance("INFISICAL-ENVELOPE", p);
                e.init(Cipher.ENCRYPT_MODE, aes);
                e.updateAAD("ctx".getBytes());
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                try (CipherOutputStream out = new CipherOutputStream(sink, e)) {
                    out.write(data);
                }
                Cipher d = Cipher.getInstance("INFISICAL-ENVELOPE", p);
                d.init(Cipher.DECRYPT_MODE, aes);
                d.updateAAD("ctx".getBytes());
                byte[] back = new CipherInputStream(new ByteArrayInputStream(sink.toByteArray()), d).readAllBytes();
                assertArrayEquals(data, back, "size " + size);
                byte[] env = sink.toByteArray();
                env[env.length - 1] ^= 1;
                d.init(Cipher.DECRYPT_MODE, aes);
                d.updateAAD("ctx".getBytes());
                Cipher dd = d;
                assertThrows(AEADBadTagException.class, () -> dd.doFinal(env));
            }

            byte[] k = new byte[32];
            String id = f.kms.importKey("mac", "HMAC_SHA_256", k);
            Mac m = Mac.getInstance("INFISICAL-HMAC", p);
            m.init(ks.getKey(id, null));
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(k, "HmacSHA256"));
            assertArrayEquals(jdk.doFinal("x".getBytes()), m.doFinal("x".getBytes()));
        }
    }
}
