package io.github.infisicaljca.audit.lines;

import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.batch.Checkpoint;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One output format, split where the work splits: {@link #prepare} is each line's own work
 * (parse, hash, and sign or leaf-hash), run on several threads; the {@link Emitter} is what
 * must happen in input order (the chain, the batch signature, writing), run on one.
 */
interface LineFormat {
    /**
     * A non-blank line's work. Thread-safe.
     *
     * @throws IllegalArgumentException when the line is not an event that can be sealed
     * @throws AuditCryptoException when signing the event fails (per-event signatures only)
     */
    Prepared prepare(String line) throws AuditCryptoException;

    /** The in-order part, writing to {@code out} (buffered by the caller). */
    Emitter emitter(OutputStream out);

    /**
     * A prepared line: its output bytes (the whole line, or in the batch format everything up
     * to the seal object), the leaf hash (batch format only) and the signature's algorithm.
     */
    record Prepared(byte[] text, byte[] leaf, String algorithm) {
    }

    /** The in-order part of a seal. Not thread-safe: one thread calls it, in input order. */
    interface Emitter {
        /** The next prepared line of the input, {@code line} its number. */
        void accept(long line, Prepared p) throws IOException, SealStoppedException;

        /** No line follows: seals what is still open. */
        void finish() throws IOException, SealStoppedException;

        long written();

        long batches();

        Checkpoint checkpoint();

        /** The algorithm of the last signature made, or {@code null} before any. */
        String algorithm();

        /** Releases what the emitter holds (its threads), whether or not the seal finished. */
        default void close() {
        }
    }
}
