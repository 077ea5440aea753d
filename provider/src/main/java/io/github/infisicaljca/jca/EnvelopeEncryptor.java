package io.github.infisicaljca.jca;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.kms.KmsException;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Encrypts one message after another in the envelope format, in constant memory: the header
 * first, then each full segment as soon as more input shows it is not the last.
 */
final class EnvelopeEncryptor {
    private final SecretKeyHandle key;
    private final EnvelopeParameterSpec spec;
    private final SecureRandom random;
    private final byte[] pending;
    private final ByteArrayOutputStream userAad = new ByteArrayOutputStream();
    private int pendingLen;
    private byte[] header;          // of the current message, null until it starts
    private boolean headerSent;
    private byte[] dataKey;
    private SegmentCipher segments; // null until the first data (the AAD is complete then)
    private long index;

    EnvelopeEncryptor(SecretKeyHandle key, EnvelopeParameterSpec spec, SecureRandom random) {
        this.key = key;
        this.spec = spec;
        this.random = random;
        this.pending = new byte[spec.segmentSize()];
    }

    /** Gets this message's data key (the one remote call) and writes its header. */
    void start() throws KmsException {
        if (header != null) {
            return;
        }
        DataKeyCache.DataKey dk = obtainDataKey();
        byte[] salt = new byte[EnvelopeFormat.SALT];
        byte[] prefix = new byte[EnvelopeFormat.PREFIX];
        random.nextBytes(salt);
        random.nextBytes(prefix);
        dataKey = dk.plain();
        header = EnvelopeFormat.header(spec.segmentSize(), UUID.fromString(key.keyId()), dk.wrapped(), salt, prefix);
        headerSent = false;
        segments = null;
        index = 0;
        pendingLen = 0;
    }

    private DataKeyCache.DataKey obtainDataKey() throws KmsException {
        DataKeyCache cache = key.binding().dataKeys();
        if (spec.cacheEnabled()) {
            DataKeyCache.DataKey cached = cache.forEncryption(key.keyId(), spec.cacheMaxMessages(),
                    spec.cacheMaxAge().toNanos());
            if (cached != null) {
                return cached;
            }
        }
        byte[] plain = new byte[EnvelopeFormat.DATA_KEY];
        random.nextBytes(plain);
        DataKeyCache.DataKey fresh = new DataKeyCache.DataKey(plain, key.binding().operations().encrypt(key.keyId(), plain));
        if (fresh.wrapped().length > 0xffff) {
            throw new ProviderException("the server's wrapped data key is " + fresh.wrapped().length + " bytes; "
                    + "the envelope header holds at most 65535");
        }
        if (spec.cacheEnabled()) {
            cache.putForEncryption(key.keyId(), fresh);
        }
        return fresh;
    }

    void updateAad(byte[] src, int off, int len) {
        if (segments != null || pendingLen > 0) {
            throw new IllegalStateException("INFISICAL-ENVELOPE takes AAD only before the data, as GCM does");
        }
        userAad.write(src, off, len);
    }

    byte[] update(byte[] in, int off, int len) throws KmsException {
        start();
        long total = (long) pendingLen + len;
        long sealed = total == 0 ? 0 : (total - 1) / pending.length; // the last bytes wait: they may end the message
        byte[] out = new byte[exactSize(headerBytes() + sealed * (pending.length + EnvelopeFormat.TAG))];
        int written = feed(in, off, len, false, out);
        assert written == out.length;
        return out;
    }

    byte[] doFinal(byte[] in, int off, int len) throws KmsException {
        start();
        long total = (long) pendingLen + len;
        long segs = total == 0 ? 1 : (total + pending.length - 1) / pending.length;
        byte[] out = new byte[exactSize(headerBytes() + total + segs * EnvelopeFormat.TAG)];
        int written = feed(in, off, len, true, out);
        assert written == out.length;
        header = null; // the next message starts with a new data key
        segments = null; // and takes its own AAD first
        userAad.reset();
        java.util.Arrays.fill(pending, (byte) 0);
        if (!spec.cacheEnabled()) {
            java.util.Arrays.fill(dataKey, (byte) 0); // used once; a cached key lives on in the cache
        }
        return out;
    }

    private int headerBytes() {
        return headerSent ? 0 : header.length;
    }

    private static int exactSize(long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new ProviderException("INFISICAL-ENVELOPE output of " + size + " bytes does not fit one array: "
                    + "pass the message in parts (update, CipherOutputStream)");
        }
        return (int) size;
    }

    /**
     * Writes the header (once) and every segment this input completes into {@code out} from 0,
     * and returns the bytes written. Whole segments are sealed straight from the caller's
     * array: only a segment that may still be the last, or that is split across calls, goes
     * through {@code pending}. One pass over the data, where copying it through buffers cost
     * more than the AES-GCM itself.
     */
    private int feed(byte[] in, int off, int len, boolean last, byte[] out) {
        int pos = 0;
        if (!headerSent) {
            System.arraycopy(header, 0, out, 0, header.length);
            pos = header.length;
            headerSent = true;
        }
        if (segments == null) {
            try {
                segments = new SegmentCipher(EnvelopeFormat.messageKey(dataKey, saltOf(header)), prefixOf(header),
                        EnvelopeFormat.aad(header, userAad.toByteArray()));
            } catch (GeneralSecurityException e) {
                throw new ProviderException("cannot derive the envelope's message key", e);
            }
        }
        int segment = pending.length;
        int end = off + len;
        while (off < end) {
            if (pendingLen == 0 && end - off > segment) {
                pos += seal(false, in, off, segment, out, pos); // more input follows it
                off += segment;
            } else if (pendingLen == 0 && last) {
                return pos + seal(true, in, off, end - off, out, pos);
            } else {
                if (pendingLen == segment) {
                    pos += seal(false, pending, 0, pendingLen, out, pos); // more input follows it
                    pendingLen = 0;
                }
                int n = Math.min(end - off, segment - pendingLen);
                System.arraycopy(in, off, pending, pendingLen, n);
                pendingLen += n;
                off += n;
            }
        }
        if (last) {
            pos += seal(true, pending, 0, pendingLen, out, pos);
            pendingLen = 0;
        }
        return pos;
    }

    private int seal(boolean last, byte[] in, int off, int len, byte[] out, int pos) {
        if (index >= EnvelopeFormat.MAX_SEGMENTS) {
            throw new ProviderException("INFISICAL-ENVELOPE message too long: more than 2^32 segments");
        }
        return segments.seal(index++, last, in, off, len, out, pos);
    }

    /** Upper bound of what the next update or doFinal with {@code len} more bytes writes. */
    int outputSize(int len) {
        long total = (long) pendingLen + Math.max(0, len);
        long segs = total / pending.length + 1;
        long headerBytes = header == null ? EnvelopeFormat.FIXED + 0xffff + EnvelopeFormat.SALT + EnvelopeFormat.PREFIX
                : headerSent ? 0 : header.length;
        return (int) Math.min(Integer.MAX_VALUE, headerBytes + total + segs * EnvelopeFormat.TAG);
    }

    private static byte[] saltOf(byte[] header) {
        return EnvelopeFormat.parse(header).salt();
    }

    private static byte[] prefixOf(byte[] header) {
        return EnvelopeFormat.parse(header).noncePrefix();
    }
}
