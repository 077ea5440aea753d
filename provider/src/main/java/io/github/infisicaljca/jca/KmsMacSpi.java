package io.github.infisicaljca.jca;

import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsException;
import java.io.ByteArrayOutputStream;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.ProviderException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Locale;
import javax.crypto.MacSpi;

/**
 * {@code INFISICAL-HMAC}: the key's own HMAC, computed by the server (generate-mac). The
 * message is buffered up to {@code maxPayloadBytes}; the server takes no more and refuses an
 * empty one. {@code Mac} methods declare no checked exceptions, so remote failures surface
 * as {@link ProviderException} with the KMS failure as cause.
 */
final class KmsMacSpi extends MacSpi {
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private SecretKeyHandle key;

    @Override
    protected int engineGetMacLength() {
        if (key == null) {
            return 0;
        }
        String alg = key.kmsAlgorithm() == null ? "" : key.kmsAlgorithm().toUpperCase(Locale.ROOT);
        switch (alg) {
            case "HMAC_SHA_1":
                return 20;
            case "HMAC_SHA_224":
                return 28;
            case "HMAC_SHA_384":
                return 48;
            case "HMAC_SHA_512":
                return 64;
            default:
                return 32;
        }
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("INFISICAL-HMAC takes no parameters");
        }
        this.key = KeyChecks.secretHandle("INFISICAL-HMAC", key, KeyUsage.GENERATE_VERIFY_MAC);
        message.reset();
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        int limit = key.binding().config().maxPayloadBytes();
        if (message.size() + len > limit) {
            message.reset();
            throw new IllegalStateException("INFISICAL-HMAC takes at most " + limit + " bytes per MAC "
                    + "(infisical.maxPayloadBytes; the server computes the MAC over the whole message and accepts no "
                    + "more); the message so far is discarded");
        }
        message.write(input, offset, len);
    }

    @Override
    protected byte[] engineDoFinal() {
        byte[] data = message.toByteArray();
        message.reset();
        if (data.length == 0) {
            throw new IllegalStateException("INFISICAL-HMAC cannot MAC an empty message: Infisical refuses empty data");
        }
        try {
            byte[] mac = key.binding().operations().generateMac(key.keyId(), data);
            if (mac.length != engineGetMacLength()) {
                // Mac.doFinal(out, off) copies getMacLength() bytes: a longer or shorter answer would be cut or overflow.
                throw new KmsException(KmsException.Kind.MALFORMED_RESPONSE, "generate-mac", key.keyId(), "a MAC of "
                        + mac.length + " bytes, but " + key.kmsAlgorithm() + " gives " + engineGetMacLength(), null);
            }
            return mac;
        } catch (KmsApiException e) {
            if (e.isRouteNotFound()) {
                throw new ProviderException("INFISICAL-HMAC: this Infisical server has no MAC keys (its generate-mac "
                        + "route does not exist: the server predates HMAC keys)", e);
            }
            throw RemoteFailures.unchecked("INFISICAL-HMAC", e);
        } catch (KmsException e) {
            throw RemoteFailures.unchecked("INFISICAL-HMAC", e);
        }
    }

    @Override
    protected void engineReset() {
        message.reset();
    }
}
