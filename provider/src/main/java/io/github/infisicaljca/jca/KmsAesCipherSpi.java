package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsException;
import java.io.ByteArrayOutputStream;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code INFISICAL-AES}: the remote key's own encryption. The input is buffered and sent in
 * one call at {@code doFinal} (up to {@code maxPayloadBytes - 31} bytes of plaintext, so that
 * the ciphertext stays within the server's cap and can be decrypted). The ciphertext is
 * Infisical's, opaque. No AAD: the server has none.
 */
final class KmsAesCipherSpi extends RemoteCipherSpi {
    /** Bytes Infisical adds today (IV 12, tag 16, "v01" 3). */
    static final int OVERHEAD = 31;
    /** What {@link #engineGetOutputSize} allows on top, for the longer trailers of rotated keys. */
    private static final int OVERHEAD_BOUND = 64;

    private final ByteArrayOutputStream input = new ByteArrayOutputStream();
    /** Input seen beyond what any call can take: counted, not kept, and refused at doFinal. */
    private long overflow;
    private SecretKeyHandle key;
    private int opmode;

    KmsAesCipherSpi() {
        super("INFISICAL-AES");
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
        int total = input.size() + Math.max(0, inputLen);
        boolean encrypting = opmode == Cipher.ENCRYPT_MODE || opmode == Cipher.WRAP_MODE;
        return encrypting ? total + OVERHEAD_BOUND : total;
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        this.key = KeyChecks.secretHandle("INFISICAL-AES", key, KeyUsage.ENCRYPT_DECRYPT);
        this.opmode = opmode;
        input.reset();
        overflow = 0;
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("INFISICAL-AES takes no parameters: the KMS picks the IV");
        }
        engineInit(opmode, key, random);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("INFISICAL-AES takes no parameters: the KMS picks the IV");
        }
        engineInit(opmode, key, random);
    }

    @Override
    protected byte[] engineUpdate(byte[] in, int off, int len) {
        buffer(in, off, len);
        return new byte[0];
    }

    @Override
    protected int engineUpdate(byte[] in, int off, int len, byte[] out, int outOff) {
        buffer(in, off, len);
        return 0;
    }

    /** Keeps at most one byte more than a call can take, so an oversized stream cannot exhaust memory. */
    private void buffer(byte[] in, int off, int len) {
        int room = Math.max(0, key.binding().config().maxPayloadBytes() + 1 - input.size());
        int kept = Math.min(room, len);
        input.write(in, off, kept);
        overflow += len - kept;
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
        throw new UnsupportedOperationException("Infisical KMS encryption has no AAD; use INFISICAL-ENVELOPE, "
                + "which authenticates AAD");
    }

    @Override
    protected byte[] engineDoFinal(byte[] in, int off, int len) throws IllegalBlockSizeException, BadPaddingException {
        if (in != null) {
            buffer(in, off, len);
        }
        byte[] data = input.toByteArray();
        long total = data.length + overflow;
        input.reset();
        overflow = 0;
        if (total > data.length) {
            throw new IllegalBlockSizeException("INFISICAL-AES got " + total + " bytes, more than one call to the KMS takes "
                    + "(infisical.maxPayloadBytes); use INFISICAL-ENVELOPE for data of any size");
        }
        return opmode == Cipher.ENCRYPT_MODE ? encrypt(data) : decrypt(data);
    }

    @Override
    protected int engineDoFinal(byte[] in, int off, int len, byte[] out, int outOff)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        int needed = engineGetOutputSize(len);
        if (out.length - outOff < needed) {
            throw new ShortBufferException("INFISICAL-AES needs " + needed + " bytes of output space, got "
                    + (out.length - outOff));
        }
        byte[] result = engineDoFinal(in, off, len);
        System.arraycopy(result, 0, out, outOff, result.length);
        return result.length;
    }

    @Override
    protected byte[] engineWrap(Key toWrap) throws IllegalBlockSizeException, InvalidKeyException {
        byte[] encoded = toWrap == null ? null : toWrap.getEncoded();
        if (encoded == null || encoded.length == 0) {
            throw new InvalidKeyException("INFISICAL-AES wraps a key by its encoding, and this key has none"
                    + (toWrap == null ? " (null)" : " (" + toWrap.getClass().getName() + ")"));
        }
        return encrypt(encoded);
    }

    @Override
    protected Key engineUnwrap(byte[] wrapped, String algorithm, int type)
            throws InvalidKeyException, NoSuchAlgorithmException {
        byte[] encoded;
        try {
            encoded = decrypt(wrapped);
        } catch (GeneralSecurityException e) {
            throw (InvalidKeyException) new InvalidKeyException("cannot unwrap: " + e.getMessage()).initCause(e);
        }
        try {
            switch (type) {
                case Cipher.SECRET_KEY:
                    return new SecretKeySpec(encoded, algorithm);
                case Cipher.PRIVATE_KEY:
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
                case Cipher.PUBLIC_KEY:
                    return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(encoded));
                default:
                    throw new InvalidKeyException("unknown key type " + type);
            }
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new InvalidKeyException("the unwrapped bytes are not a " + algorithm + " key", e);
        } finally {
            java.util.Arrays.fill(encoded, (byte) 0);
        }
    }

    private byte[] encrypt(byte[] plaintext) throws IllegalBlockSizeException {
        int max = key.binding().config().maxPayloadBytes() - OVERHEAD;
        if (plaintext.length == 0) {
            throw new IllegalBlockSizeException("INFISICAL-AES cannot encrypt an empty plaintext: Infisical refuses "
                    + "empty values; use INFISICAL-ENVELOPE, which takes any size including none");
        }
        if (plaintext.length > max) {
            throw new IllegalBlockSizeException("INFISICAL-AES takes at most " + max + " bytes (infisical.maxPayloadBytes "
                    + "- 31, so the ciphertext can still be decrypted), got " + plaintext.length
                    + "; use INFISICAL-ENVELOPE for data of any size");
        }
        byte[] ciphertext;
        try {
            ciphertext = key.binding().operations().encrypt(key.keyId(), plaintext);
        } catch (KmsException e) {
            throw (IllegalBlockSizeException) RemoteFailures.forDoFinal(e);
        }
        if (ciphertext.length > plaintext.length + OVERHEAD_BOUND) {
            // engineGetOutputSize promised no more: a caller's buffer of that size must not overflow.
            throw (IllegalBlockSizeException) RemoteFailures.forDoFinal(new KmsException(
                    KmsException.Kind.MALFORMED_RESPONSE, "encrypt", key.keyId(), "a ciphertext of " + ciphertext.length
                            + " bytes for " + plaintext.length + " bytes of plaintext is not Infisical's (at most "
                            + OVERHEAD_BOUND + " bytes more)", null));
        }
        return ciphertext;
    }

    private byte[] decrypt(byte[] ciphertext) throws IllegalBlockSizeException, BadPaddingException {
        int max = key.binding().config().maxPayloadBytes();
        if (ciphertext.length <= OVERHEAD - 3) {
            // A truncated ciphertext, like one the server refuses: AEADBadTagException in both cases.
            throw new AEADBadTagException("INFISICAL-AES: " + ciphertext.length + " bytes cannot be an Infisical "
                    + "ciphertext (it has a 12-byte IV and a 16-byte tag): it is truncated or not a ciphertext");
        }
        if (ciphertext.length > max) {
            throw new IllegalBlockSizeException("INFISICAL-AES decrypts at most " + max + " bytes (infisical.maxPayloadBytes), "
                    + "got " + ciphertext.length);
        }
        try {
            return key.binding().operations().decrypt(key.keyId(), ciphertext);
        } catch (KmsException e) {
            java.security.GeneralSecurityException g = RemoteFailures.forDoFinal(e);
            if (g instanceof BadPaddingException) {
                throw (BadPaddingException) g;
            }
            throw (IllegalBlockSizeException) g;
        }
    }
}
