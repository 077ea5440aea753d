package io.github.infisicaljca.jca;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM over one envelope segment, with the JDK's AES (this provider offers none). */
final class SegmentCipher {
    private final SecretKeySpec key;
    private final byte[] noncePrefix;
    private final byte[] aad;
    private final Cipher gcm;

    SegmentCipher(SecretKeySpec key, byte[] noncePrefix, byte[] aad) {
        this.key = key;
        this.noncePrefix = noncePrefix;
        this.aad = aad;
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new ProviderException("the JDK has no AES/GCM", e);
        }
    }

    /** Seals one segment into {@code out} at {@code pos}; returns the bytes written (len + tag). */
    int seal(long index, boolean last, byte[] in, int off, int len, byte[] out, int pos) {
        try {
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(EnvelopeFormat.TAG * 8,
                    EnvelopeFormat.nonce(noncePrefix, index, last)));
            gcm.updateAAD(aad);
            return gcm.doFinal(in, off, len, out, pos);
        } catch (GeneralSecurityException e) {
            throw new ProviderException("AES-GCM failed on envelope segment " + index, e);
        }
    }

    void open(long index, boolean last, byte[] in, int off, int len, ByteArrayOutputStream out) throws AEADBadTagException {
        try {
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(EnvelopeFormat.TAG * 8,
                    EnvelopeFormat.nonce(noncePrefix, index, last)));
            gcm.updateAAD(aad);
            out.write(gcm.doFinal(in, off, len));
        } catch (AEADBadTagException e) {
            throw new AEADBadTagException("INFISICAL-ENVELOPE segment " + index + (last ? " (the last)" : "")
                    + " does not authenticate: the message was altered, truncated, reordered, spliced, or its AAD differs");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ProviderException("AES-GCM failed on envelope segment " + index, e);
        }
    }
}
