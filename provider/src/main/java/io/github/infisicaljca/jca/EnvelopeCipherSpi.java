package io.github.infisicaljca.jca;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsException;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.ShortBufferException;

/**
 * {@code INFISICAL-ENVELOPE}: AES-256-GCM under a fresh data key per message, the data key
 * wrapped by the remote key; any size, one remote call per message, constant memory, AAD
 * supported. The format is {@link EnvelopeFormat}'s. Works with CipherInput/OutputStream.
 */
final class EnvelopeCipherSpi extends RemoteCipherSpi {
    private EnvelopeEncryptor encryptor;
    private EnvelopeDecryptor decryptor;

    EnvelopeCipherSpi() {
        super("INFISICAL-ENVELOPE");
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
        if (encryptor != null) {
            return encryptor.outputSize(inputLen);
        }
        return decryptor == null ? inputLen : decryptor.outputSize(inputLen);
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        try {
            engineInit(opmode, key, (AlgorithmParameterSpec) null, random);
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException(e); // null parameters are always valid
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("INFISICAL-ENVELOPE takes an EnvelopeParameterSpec, "
                    + "not AlgorithmParameters");
        }
        engineInit(opmode, key, random);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null && !(params instanceof EnvelopeParameterSpec)) {
            throw new InvalidAlgorithmParameterException("INFISICAL-ENVELOPE takes an EnvelopeParameterSpec, not "
                    + params.getClass().getName());
        }
        SecretKeyHandle handle = KeyChecks.secretHandle("INFISICAL-ENVELOPE", key, KeyUsage.ENCRYPT_DECRYPT);
        EnvelopeParameterSpec spec = params == null ? EnvelopeParameterSpec.DEFAULT : (EnvelopeParameterSpec) params;
        encryptor = null;
        decryptor = null;
        switch (opmode) {
            case Cipher.ENCRYPT_MODE:
                EnvelopeEncryptor e = new EnvelopeEncryptor(handle, spec, random != null ? random : new SecureRandom());
                try {
                    e.start(); // the wrap call: a key the server refuses fails here, where init declares it
                } catch (KmsException ex) {
                    throw RemoteFailures.invalidKey("INFISICAL-ENVELOPE cannot wrap a data key with key "
                            + handle.keyId(), ex);
                }
                encryptor = e;
                break;
            case Cipher.DECRYPT_MODE:
                decryptor = new EnvelopeDecryptor(handle, spec);
                break;
            default:
                throw new UnsupportedOperationException("INFISICAL-ENVELOPE encrypts and decrypts data; "
                        + "wrap keys with INFISICAL-AES");
        }
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
        if (encryptor != null) {
            encryptor.updateAad(src, offset, len);
        } else if (decryptor != null) {
            decryptor.updateAad(src, offset, len);
        }
    }

    @Override
    protected byte[] engineUpdate(byte[] in, int off, int len) {
        if (decryptor != null) {
            return decryptor.update(in, off, len);
        }
        try {
            return encryptor.update(in, off, len);
        } catch (KmsException e) {
            throw RemoteFailures.unchecked("INFISICAL-ENVELOPE cannot start a new message", e);
        }
    }

    @Override
    protected int engineUpdate(byte[] in, int off, int len, byte[] out, int outOff) throws ShortBufferException {
        checkSpace(len, out, outOff);
        byte[] r = engineUpdate(in, off, len);
        System.arraycopy(r, 0, out, outOff, r.length);
        return r.length;
    }

    @Override
    protected byte[] engineDoFinal(byte[] in, int off, int len) throws IllegalBlockSizeException, BadPaddingException {
        byte[] input = in == null ? new byte[0] : in;
        int length = in == null ? 0 : len;
        if (decryptor != null) {
            try {
                return decryptor.doFinal(input, off, length);
            } catch (ProviderException e) {
                if (e.getCause() instanceof KmsException) {
                    throw (IllegalBlockSizeException) new IllegalBlockSizeException(e.getMessage()).initCause(e.getCause());
                }
                throw e;
            }
        }
        try {
            return encryptor.doFinal(input, off, length);
        } catch (KmsException e) {
            throw (IllegalBlockSizeException) RemoteFailures.forDoFinal(e);
        }
    }

    @Override
    protected int engineDoFinal(byte[] in, int off, int len, byte[] out, int outOff)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        checkSpace(len, out, outOff);
        byte[] r = engineDoFinal(in, off, len);
        System.arraycopy(r, 0, out, outOff, r.length);
        return r.length;
    }

    private void checkSpace(int len, byte[] out, int outOff) throws ShortBufferException {
        int needed = engineGetOutputSize(len);
        if (out == null || out.length - outOff < needed) {
            throw new ShortBufferException("INFISICAL-ENVELOPE may write up to " + needed + " bytes here; the buffer has "
                    + (out == null ? 0 : out.length - outOff));
        }
    }

}
