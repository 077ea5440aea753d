package io.github.infisicaljca.jca;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.kms.KmsException;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.AEADBadTagException;

/**
 * Decrypts one envelope after another in constant memory. Each segment is authenticated
 * before its plaintext is released; a defect stops all further output and is thrown at
 * {@code doFinal} (the Cipher API lets {@code update} throw nothing checked), so a reader
 * sees a prefix of authentic data and then the failure, never unauthenticated bytes.
 */
final class EnvelopeDecryptor {
    private final SecretKeyHandle key;
    private final EnvelopeParameterSpec spec;
    private final ByteArrayOutputStream userAad = new ByteArrayOutputStream();
    private byte[] headerBuf = new byte[EnvelopeFormat.FIXED];
    private int headerLen;
    private EnvelopeFormat.Header header;
    private SegmentCipher segments;
    private byte[] segment;         // one full ciphertext segment: S + 16 bytes
    private int segmentLen;
    private long index;
    private GeneralSecurityException failure;
    private boolean started;

    EnvelopeDecryptor(SecretKeyHandle key, EnvelopeParameterSpec spec) {
        this.key = key;
        this.spec = spec;
    }

    void updateAad(byte[] src, int off, int len) {
        if (started) {
            throw new IllegalStateException("INFISICAL-ENVELOPE takes AAD only before the data, as GCM does");
        }
        userAad.write(src, off, len);
    }

    byte[] update(byte[] in, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        feed(in, off, len, out);
        return out.toByteArray();
    }

    byte[] doFinal(byte[] in, int off, int len) throws AEADBadTagException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + segmentLen);
        try {
            feed(in, off, len, out);
            if (failure == null && header == null) {
                failure = new AEADBadTagException("INFISICAL-ENVELOPE message truncated: the header is incomplete ("
                        + headerLen + " bytes)");
            }
            if (failure == null) {
                if (segmentLen < EnvelopeFormat.TAG) {
                    throw new AEADBadTagException("INFISICAL-ENVELOPE message truncated: the last segment is missing");
                }
                segments.open(index, true, segment, 0, segmentLen, out);
            }
            if (failure != null) {
                throw failure instanceof AEADBadTagException ? (AEADBadTagException) failure
                        : (AEADBadTagException) new AEADBadTagException(failure.getMessage()).initCause(failure);
            }
            return out.toByteArray();
        } finally {
            reset();
        }
    }

    private void reset() {
        headerBuf = new byte[EnvelopeFormat.FIXED];
        headerLen = 0;
        header = null;
        segments = null;
        if (segment != null) {
            Arrays.fill(segment, (byte) 0);
        }
        segmentLen = 0;
        index = 0;
        failure = null;
        started = false;
        userAad.reset();
    }

    private void feed(byte[] in, int off, int len, ByteArrayOutputStream out) {
        started = true;
        int end = off + len;
        try {
            while (failure == null && off < end) {
                if (header == null) {
                    off = readHeader(in, off, end);
                    continue;
                }
                if (segmentLen == segment.length) {
                    // More input follows, so this full segment is not the last one.
                    segments.open(index++, false, segment, 0, segmentLen, out);
                    segmentLen = 0;
                    if (index >= EnvelopeFormat.MAX_SEGMENTS) {
                        throw new AEADBadTagException("INFISICAL-ENVELOPE message has more than 2^32 segments");
                    }
                }
                int n = Math.min(end - off, segment.length - segmentLen);
                System.arraycopy(in, off, segment, segmentLen, n);
                segmentLen += n;
                off += n;
            }
        } catch (GeneralSecurityException e) {
            failure = e;
        }
    }

    private int readHeader(byte[] in, int off, int end) throws GeneralSecurityException {
        int n = Math.min(end - off, headerBuf.length - headerLen);
        System.arraycopy(in, off, headerBuf, headerLen, n);
        headerLen += n;
        if (headerLen == EnvelopeFormat.FIXED && headerBuf.length == EnvelopeFormat.FIXED) {
            EnvelopeFormat.checkFixed(headerBuf);
            headerBuf = Arrays.copyOf(headerBuf, EnvelopeFormat.headerLength(headerBuf));
        } else if (headerLen == headerBuf.length) {
            begin(EnvelopeFormat.parse(headerBuf));
        }
        return off + n;
    }

    /** The header is complete: check the key, unwrap the data key (the one remote call), derive the segment key. */
    private void begin(EnvelopeFormat.Header h) throws GeneralSecurityException {
        if (!h.keyId().equals(UUID.fromString(key.keyId()))) {
            throw new AEADBadTagException("this INFISICAL-ENVELOPE message was made with KMS key " + h.keyId()
                    + ", not " + key.keyId() + " (" + key.keyName() + ")");
        }
        byte[] dataKey = spec.cacheEnabled() ? key.binding().dataKeys().unwrapped(key.keyId(), h.wrappedKey(),
                spec.cacheMaxMessages(), spec.cacheMaxAge().toNanos()) : null;
        if (dataKey == null) {
            try {
                dataKey = key.binding().operations().decrypt(key.keyId(), h.wrappedKey());
            } catch (KmsException e) {
                if (RemoteFailures.isRejectedCiphertext(e)) {
                    throw RemoteFailures.rejected(e);
                }
                throw RemoteFailures.unchecked("INFISICAL-ENVELOPE cannot unwrap the data key", e);
            }
            if (dataKey.length != EnvelopeFormat.DATA_KEY) {
                throw new AEADBadTagException("the unwrapped data key has " + dataKey.length + " bytes, not 32");
            }
            if (spec.cacheEnabled()) {
                key.binding().dataKeys().putUnwrapped(key.keyId(), h.wrappedKey(), dataKey);
            }
        }
        segments = new SegmentCipher(EnvelopeFormat.messageKey(dataKey, h.salt()), h.noncePrefix(),
                EnvelopeFormat.aad(h.encoded(), userAad.toByteArray()));
        segment = new byte[h.segmentSize() + EnvelopeFormat.TAG];
        segmentLen = 0;
        header = h;
    }

    /** Upper bound: plaintext is never longer than the ciphertext still to come. */
    int outputSize(int len) {
        return (int) Math.min(Integer.MAX_VALUE, (long) segmentLen + Math.max(0, len));
    }
}
