package io.github.infisicaljca.audit.batch;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.EventSignature;
import io.github.infisicaljca.audit.HmacEventSigner;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * {@link BatchSigner#hmac}: the smart-logs HMAC signer computes the MAC (as hex, its format);
 * the batch format carries it as base64 like every other signature.
 */
final class HmacBatchSigner implements BatchSigner {
    private final HmacEventSigner hmac;
    private final String keyId;

    HmacBatchSigner(HmacEventSigner hmac, String keyId) {
        this.hmac = hmac;
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        if (keyId.isEmpty()) {
            throw new IllegalArgumentException("an HMAC batch signer needs a non-empty key id naming its secret");
        }
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public String algorithm() {
        return EventSignature.HMAC_SHA256;
    }

    @Override
    public String sign(String statement) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hmac.sign(statement).signature()));
    }

    @Override
    public boolean verify(String statement, byte[] signature) {
        return hmac.verify(statement, HexFormat.of().formatHex(signature)); // constant-time compare
    }

    @Override
    public String toString() {
        return "BatchSigner.hmac{keyId=" + keyId + ", secret=" + Secret.MASK + "}";
    }
}
