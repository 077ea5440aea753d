package io.github.infisicaljca.audit.lines;

import io.github.infisicaljca.audit.batch.Checkpoint;

/**
 * A seal that stopped at a line: the events before it are sealed and written (in the batch
 * format, in batches that are signed and chained), nothing from that line on. The message is
 * the reason alone (it never quotes the event); {@link #line()} says where.
 */
public final class SealStoppedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the seal stopped. */
    public enum Reason {
        /** The line is not an event that can be sealed (not JSON, a field of the wrong type, ...). */
        INVALID_EVENT,
        /** The signer failed (the KMS unavailable, refused, ...): the line's batch, or its event, is not sealed. */
        SIGNING_FAILED,
        /** Reading the input failed at the line ({@link #getCause()} says why): the lines before it are sealed. */
        INPUT_FAILED
    }

    /** Why the seal stopped. */
    private final Reason reason;
    /** The input line, 1-based. */
    private final long line;
    /** Events written before it stopped. */
    private final long written;
    private final transient Checkpoint checkpoint;

    SealStoppedException(Reason reason, long line, String message, Throwable cause, long written,
            Checkpoint checkpoint) {
        super(message, cause);
        this.reason = reason;
        this.line = line;
        this.written = written;
        this.checkpoint = checkpoint;
    }

    /** {@return why the seal stopped} */
    public Reason reason() {
        return reason;
    }

    /** {@return the input line (1-based, blank lines counted) whose event, or whose batch, could not be sealed} */
    public long line() {
        return line;
    }

    /** {@return the events written before the seal stopped} */
    public long written() {
        return written;
    }

    /** {@return in the batch format, where the written chain ends ({@code null} if no batch was signed); else {@code null}} */
    public Checkpoint checkpoint() {
        return checkpoint;
    }
}
