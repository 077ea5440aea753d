package io.github.infisicaljca.audit.batch;

/** Why a line of a sealed log failed verification. */
public enum Problem {
    /** The event, its hash or its seal was changed: the leaf, proof, hash or signature does not match. */
    ALTERED,
    /** Events or whole batches are missing before this line. */
    DELETED,
    /** The line repeats an event already in the log, or stands inside a batch it does not belong to. */
    INSERTED,
    /** The line's event belongs to this log but stands out of its sealed order. */
    REORDERED,
    /** The log ends early: its last batch is incomplete, or it ends before the checkpoint. */
    TRUNCATED,
    /** A validly sealed event of another log (its batch does not link into this chain). */
    FOREIGN,
    /** Sealed with a key (or an algorithm) this verifier does not hold. */
    UNKNOWN_KEY,
    /** A smart-logs line (no batch seal) and no smart-logs verifier given. */
    NOT_BATCH_SEALED,
    /**
     * A smart-logs line (no batch seal) whose smart-logs hash or signature does not verify; the
     * reason is the smart-logs verifier's own.
     */
    SMART_LOGS_INVALID,
    /** Not a JSON event, or a seal that cannot be read. */
    MALFORMED
}
