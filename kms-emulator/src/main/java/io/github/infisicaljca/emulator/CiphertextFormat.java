package io.github.infisicaljca.emulator;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** Infisical's ciphertext layout: {@code IV(12) || AES-GCM ciphertext || tag(16) || "v01"}. */
final class CiphertextFormat {
    static final int IV_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final byte[] VERSION = {'v', '0', '1'};
    /** Bytes a ciphertext adds to its plaintext: 12 + 16 + 3 = 31. */
    static final int OVERHEAD = IV_BYTES + TAG_BYTES + VERSION.length;

    private CiphertextFormat() {
    }

    static byte[] encrypt(SecretKey key, byte[] plaintext, SecureRandom random) throws GeneralSecurityException {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, iv));
        byte[] body = c.doFinal(plaintext);
        byte[] out = new byte[IV_BYTES + body.length + VERSION.length];
        System.arraycopy(iv, 0, out, 0, IV_BYTES);
        System.arraycopy(body, 0, out, IV_BYTES, body.length);
        System.arraycopy(VERSION, 0, out, IV_BYTES + body.length, VERSION.length);
        return out;
    }

    /** Throws on any defect (short, wrong trailer, failed tag): the server answers those with a 500. */
    static byte[] decrypt(SecretKey key, byte[] ciphertext) throws GeneralSecurityException {
        if (ciphertext.length < OVERHEAD
                || !Arrays.equals(VERSION, Arrays.copyOfRange(ciphertext, ciphertext.length - VERSION.length, ciphertext.length))) {
            throw new GeneralSecurityException("not an Infisical ciphertext");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, ciphertext, 0, IV_BYTES));
        return c.doFinal(ciphertext, IV_BYTES, ciphertext.length - IV_BYTES - VERSION.length);
    }
}
