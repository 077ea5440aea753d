package io.github.infisicaljca;

import java.security.spec.AlgorithmParameterSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of {@code INFISICAL-ENVELOPE}, passed to {@code Cipher.init}: the segment size, and
 * an optional data-key cache for callers that need fewer remote calls. Without one, every
 * message gets a fresh data key (one remote call to encrypt, one to decrypt).
 *
 * <p>With the cache, one data key (and its one wrap call) serves up to {@code maxMessages}
 * messages within {@code maxAge}; every message still derives its own key from a random
 * 128-bit salt, so reuse does not weaken the messages. Decryption then remembers each data
 * key it unwrapped, under the KMS key that unwrapped it, for the same number of messages and
 * the same age, whichever ends first. The age is at most {@link #MAX_CACHE_AGE}.
 *
 * <p>A cache hit skips the KMS call and so the server's checks on it: a key disabled or a
 * permission revoked stops cached data keys only when their entries expire, at most
 * {@code maxAge} later. The cache trades the "one key per message" isolation and immediate
 * revocation for speed: keep it off unless you need it.
 */
public final class EnvelopeParameterSpec implements AlgorithmParameterSpec {
    /**
     * The longest a cached data key may live: it bounds how long a disabled key or a revoked
     * permission goes unnoticed, and costs a busy process one KMS call per data key an hour.
     */
    public static final Duration MAX_CACHE_AGE = Duration.ofHours(1);

    /** 64 KiB segments, no cache. */
    public static final EnvelopeParameterSpec DEFAULT = builder().build();

    private final int segmentSize;
    private final int cacheMaxMessages;
    private final Duration cacheMaxAge;

    private EnvelopeParameterSpec(Builder b) {
        this.segmentSize = b.segmentSize;
        this.cacheMaxMessages = b.cacheMaxMessages;
        this.cacheMaxAge = b.cacheMaxAge;
    }

    /** {@return a builder with the defaults: 64 KiB segments, no data-key cache} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return plaintext bytes per segment (a power of two from 4 KiB to 16 MiB); memory use is about twice this} */
    public int segmentSize() {
        return segmentSize;
    }

    /** {@return messages one cached data key may serve (encrypting, and again decrypting); 1 means no cache} */
    public int cacheMaxMessages() {
        return cacheMaxMessages;
    }

    /** {@return how long one cached data key may serve; zero without a cache} */
    public Duration cacheMaxAge() {
        return cacheMaxAge;
    }

    /** {@return whether a data key serves more than one message} */
    public boolean cacheEnabled() {
        return cacheMaxMessages > 1;
    }

    @Override
    public String toString() {
        return "EnvelopeParameterSpec{segmentSize=" + segmentSize
                + (cacheEnabled() ? ", cache=" + cacheMaxMessages + " messages/" + cacheMaxAge : ", no cache") + "}";
    }

    /** Validates in {@link #build()}. */
    public static final class Builder {
        private int segmentSize = 1 << 16;
        private int cacheMaxMessages = 1;
        private Duration cacheMaxAge = Duration.ZERO;

        private Builder() {
        }

        /**
         * Plaintext bytes per segment; default 64 KiB.
         *
         * @param bytes a power of two from 4096 to 16 MiB
         * @return this builder
         */
        public Builder segmentSize(int bytes) {
            this.segmentSize = bytes;
            return this;
        }

        /**
         * Reuses a data key for up to {@code maxMessages} messages and {@code maxAge} (at most
         * {@link #MAX_CACHE_AGE}), on encryption and on decryption.
         *
         * @param maxMessages messages per data key, at least 1 (1 means no cache)
         * @param maxAge the longest a data key is reused
         * @return this builder
         */
        public Builder dataKeyCache(int maxMessages, Duration maxAge) {
            this.cacheMaxMessages = maxMessages;
            this.cacheMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        /**
         * Validates the options.
         *
         * @return the parameters
         * @throws IllegalArgumentException when a value is out of range
         */
        public EnvelopeParameterSpec build() {
            if (segmentSize < 4096 || segmentSize > (16 << 20) || Integer.bitCount(segmentSize) != 1) {
                throw new IllegalArgumentException("the segment size must be a power of two from 4096 to 16777216, not "
                        + segmentSize);
            }
            if (cacheMaxMessages < 1) {
                throw new IllegalArgumentException("a data key serves at least 1 message, not " + cacheMaxMessages);
            }
            if (cacheMaxMessages > 1 && (cacheMaxAge.isNegative() || cacheMaxAge.isZero())) {
                throw new IllegalArgumentException("a data-key cache needs a positive maximum age");
            }
            if (cacheMaxMessages > 1 && cacheMaxAge.compareTo(MAX_CACHE_AGE) > 0) {
                throw new IllegalArgumentException("a cached data key lives at most " + MAX_CACHE_AGE + ", not "
                        + cacheMaxAge + ": a hit skips the KMS, so a disabled key or revoked permission is noticed "
                        + "only when the entry expires");
            }
            return new EnvelopeParameterSpec(this);
        }
    }
}
