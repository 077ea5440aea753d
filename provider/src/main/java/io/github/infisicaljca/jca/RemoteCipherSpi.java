package io.github.infisicaljca.jca;

import java.security.AlgorithmParameters;
import java.security.NoSuchAlgorithmException;
import javax.crypto.CipherSpi;
import javax.crypto.NoSuchPaddingException;

/**
 * What the provider's ciphers share: no modes or padding to choose (the KMS and the envelope
 * format fix them), no block size, and no IV or parameters to hand out (they travel inside the
 * ciphertext).
 */
abstract class RemoteCipherSpi extends CipherSpi {
    private final String name;

    RemoteCipherSpi(String name) {
        this.name = name;
    }

    @Override
    protected final void engineSetMode(String mode) throws NoSuchAlgorithmException {
        if (!"NONE".equalsIgnoreCase(mode)) {
            throw new NoSuchAlgorithmException(name + " has no modes: its AES-GCM is fixed (got " + mode + ")");
        }
    }

    @Override
    protected final void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!"NoPadding".equalsIgnoreCase(padding)) {
            throw new NoSuchPaddingException(name + " has no padding (got " + padding + ")");
        }
    }

    @Override
    protected final int engineGetBlockSize() {
        return 0;
    }

    @Override
    protected final byte[] engineGetIV() {
        return null;
    }

    @Override
    protected final AlgorithmParameters engineGetParameters() {
        return null;
    }
}
