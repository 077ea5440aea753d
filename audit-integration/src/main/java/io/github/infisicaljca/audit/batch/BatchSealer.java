package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Seals events in batches: a batch closes at {@code maxEvents} events or {@code maxDelay} after
 * its first event, whichever comes first, and gets one signature over its Merkle root, chained
 * to the batch before. Thread-safe: events are hashed in the adding thread (so concurrent
 * producers hash in parallel) and sealed in the order {@link #add} took them; the sink sees
 * them in that order. A batch is signed under the sealer's lock, which keeps the chain a line.
 */
public final class BatchSealer implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.github.infisicaljca.audit");

    private final BatchSigner signer;
    private final int maxEvents;
    private final long maxDelayMillis;
    private final BatchScheduler scheduler;
    private final boolean ownsScheduler;
    private final Consumer<AuditEvent> sink;

    private final List<Pending> pending = new ArrayList<>();
    private BatchStatement last; // the chain's head: the last batch signed, or handed to the signing thread
    private volatile Checkpoint checkpoint; // the last batch signed
    private final ExecutorService signing; // pipelined: one thread, so batches are signed and emitted in order
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null); // the last signing task
    private volatile Throwable failure; // pipelined: the failure that stopped the sealer
    private long generation; // which open batch a timer belongs to
    private Runnable cancelTimer;
    private boolean closed;

    private record Pending(ObjectNode event, String hash, byte[] leafHash, CompletableFuture<AuditEvent> sealed) {
    }

    private BatchSealer(Builder b) {
        this.signer = b.signer;
        this.maxEvents = b.maxEvents;
        this.maxDelayMillis = b.maxDelay == null ? 0 : b.maxDelay.toMillis();
        this.ownsScheduler = b.scheduler == null && maxDelayMillis > 0;
        this.scheduler = ownsScheduler ? BatchScheduler.daemon() : b.scheduler;
        this.sink = b.sink;
        this.signing = !b.pipelined ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "audit-batch-signer");
            t.setDaemon(true);
            return t;
        });
        if (b.resume != null) {
            this.last = b.resume.statement();
            this.checkpoint = b.resume;
        }
    }

    /**
     * Starts a sealer.
     *
     * @param signer the key that signs each batch
     * @return the builder
     */
    public static Builder builder(BatchSigner signer) {
        return new Builder(signer);
    }

    /**
     * Adds an event (its seal fields, if any, are dropped: the batch seal replaces them).
     *
     * @param event the event
     * @return the sealed event, once its batch is signed; failed with {@link AuditCryptoException} if signing fails
     * @throws IllegalArgumentException when the event cannot be hashed or canonicalised (a required field missing,
     *         a field of the wrong type, an integer beyond 2^53); nothing is added then
     */
    public CompletableFuture<AuditEvent> add(AuditEvent event) {
        Pending p = prepare(event);
        synchronized (this) {
            enqueue(p);
        }
        return p.sealed;
    }

    /**
     * Adds events in their list order, hashing them in parallel first (on the common fork-join
     * pool), so that one producer uses every core: the way to feed a file through the sealer.
     * All or nothing: if one event cannot be hashed, none is added.
     *
     * @param events the events, in log order
     * @return each event's future, in the list's order
     * @throws IllegalArgumentException as {@link #add}, for the first bad event found
     */
    public List<CompletableFuture<AuditEvent>> addAll(List<AuditEvent> events) {
        List<Pending> prepared = events.parallelStream().map(BatchSealer::prepare).toList(); // keeps the order
        List<CompletableFuture<AuditEvent>> out = new ArrayList<>(prepared.size());
        synchronized (this) {
            for (Pending p : prepared) {
                enqueue(p);
                out.add(p.sealed);
            }
        }
        return out;
    }

    /** The work that needs no lock: dropping old seals, the smart-logs hash, the leaf hash. */
    private static Pending prepare(AuditEvent event) {
        ObjectNode unsealed = Batches.unsealed(event);
        AuditEvent plain = AuditEvent.of(unsealed);
        return new Pending(unsealed, EventHasher.generateHash(plain), Batches.leafHash(unsealed),
                new CompletableFuture<>());
    }

    private void enqueue(Pending p) {
        if (closed) {
            throw new IllegalStateException("the batch sealer is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("a batch failed to sign (" + failure.getMessage() + "): this sealer "
                    + "stopped; resume with a new one from checkpoint()");
        }
        pending.add(p);
        if (pending.size() == 1 && maxDelayMillis > 0 && maxEvents > 1) {
            long g = generation;
            cancelTimer = scheduler.schedule(() -> sealOnTimer(g), maxDelayMillis);
        }
        if (pending.size() >= maxEvents) {
            try {
                sealOpenBatch();
            } catch (AuditCryptoException e) {
                // the futures carry the failure to the caller
            }
        }
    }

    /**
     * Seals the open batch now, if it holds any event, and (pipelined) waits until every batch is signed.
     *
     * @throws AuditCryptoException when a batch could not be signed
     */
    public void flush() throws AuditCryptoException {
        CompletableFuture<Void> signed;
        synchronized (this) {
            if (!pending.isEmpty()) {
                sealOpenBatch();
            }
            signed = tail;
        }
        signed.join(); // outside the lock: the signing thread's sink may be slow
        Throwable f = failure;
        if (f != null) {
            throw new AuditCryptoException("signing a batch failed: " + f.getMessage(), f,
                    f instanceof AuditCryptoException && ((AuditCryptoException) f).kmsUnavailable());
        }
    }

    /** Seals the open batch and stops the timer; later {@link #add}s are refused. */
    @Override
    public void close() throws AuditCryptoException {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        try {
            flush();
        } finally {
            synchronized (this) {
                closed = true;
            }
            if (ownsScheduler) {
                scheduler.close();
            }
            if (signing != null) {
                signing.shutdown();
            }
        }
    }

    /** {@return the last signed batch's checkpoint: where the log now ends; {@code null} before the first batch} */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    private synchronized void sealOnTimer(long g) {
        if (g != generation || pending.isEmpty()) {
            return; // that batch was already sealed by size or flush
        }
        try {
            sealOpenBatch();
        } catch (AuditCryptoException e) {
            LOG.log(Level.WARNING, "sealing an audit batch on its time limit failed: {0}", e.getMessage());
        }
    }

    private void sealOpenBatch() throws AuditCryptoException {
        List<Pending> batch = new ArrayList<>(pending);
        pending.clear();
        generation++;
        if (cancelTimer != null) {
            cancelTimer.run();
            cancelTimer = null;
        }
        List<byte[]> leaves = new ArrayList<>(batch.size());
        batch.forEach(p -> leaves.add(p.leafHash));
        MerkleTree tree = MerkleTree.of(leaves);
        BatchStatement st = BatchStatement.next(last, tree, signer);
        if (signing != null) {
            if (failure != null) {
                batch.forEach(p -> p.sealed.completeExceptionally(failure));
                throw new AuditCryptoException("an earlier batch failed to sign: " + failure.getMessage(), failure, false);
            }
            // The chain advances now: the next batch links to this root while this one is being signed.
            last = st;
            tail = tail.thenRunAsync(() -> signAndEmit(batch, tree, st), signing);
            return;
        }
        String signature;
        try {
            signature = signer.sign(st.canonical());
        } catch (AuditCryptoException | RuntimeException e) {
            // The chain does not advance: the next batch links to the last one signed.
            batch.forEach(p -> p.sealed.completeExceptionally(e));
            throw e;
        }
        last = st;
        emit(batch, tree, st, signature);
    }

    /**
     * Pipelined, on the signing thread. A failure stops the sealer: the batches queued behind
     * this one already link to its root, so they fail too rather than leave a hole in the chain.
     */
    private void signAndEmit(List<Pending> batch, MerkleTree tree, BatchStatement st) {
        Throwable before = failure;
        if (before != null) {
            batch.forEach(p -> p.sealed.completeExceptionally(before));
            return;
        }
        try {
            emit(batch, tree, st, signer.sign(st.canonical()));
        } catch (Throwable e) {
            failure = e;
            batch.forEach(p -> p.sealed.completeExceptionally(e));
            LOG.log(Level.WARNING, "signing audit batch {0} failed; the sealer stopped: {1}", st.seq(), e.getMessage());
        }
    }

    private void emit(List<Pending> batch, MerkleTree tree, BatchStatement st, String signature) {
        checkpoint = Checkpoint.of(st, signature);
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            ObjectNode out = p.event;
            out.put(AuditEvent.HASH, p.hash);
            out.put(AuditEvent.HASH_ALGORITHM, EventHasher.HASH_ALGORITHM);
            Seal.of(i, tree.proof(i), st, signature).write(out.putObject(Batches.SEAL));
            AuditEvent sealed = AuditEvent.of(out);
            if (sink != null) {
                sink.accept(sealed);
            }
            p.sealed.complete(sealed);
        }
    }

    @Override
    public String toString() {
        return "BatchSealer{signer=" + signer + ", maxEvents=" + maxEvents + ", maxDelayMillis=" + maxDelayMillis + "}";
    }

    /** {@link #build()} checks the limits. */
    public static final class Builder {
        private final BatchSigner signer;
        private int maxEvents = 1000;
        private Duration maxDelay;
        private BatchScheduler scheduler;
        private Checkpoint resume;
        private Consumer<AuditEvent> sink;
        private boolean pipelined;

        private Builder(BatchSigner signer) {
            this.signer = Objects.requireNonNull(signer, "signer");
        }

        /**
         * Events per batch, at least 1 (default 1,000).
         *
         * @param n the most events in one batch
         * @return this builder
         */
        public Builder maxEvents(int n) {
            this.maxEvents = n;
            return this;
        }

        /**
         * How long a batch stays open after its first event; none by default (only size and flush close it).
         *
         * @param d the longest time a batch waits for more events
         * @return this builder
         */
        public Builder maxDelay(Duration d) {
            this.maxDelay = d;
            return this;
        }

        /**
         * The timer for {@link #maxDelay}; default a daemon thread the sealer owns.
         *
         * @param s the scheduler that closes batches on time
         * @return this builder
         */
        public Builder scheduler(BatchScheduler s) {
            this.scheduler = s;
            return this;
        }

        /**
         * Continues the chain after this checkpoint (the next batch is its seq + 1, its prev its root).
         *
         * @param c where the log ends so far
         * @return this builder
         */
        public Builder resumeFrom(Checkpoint c) {
            this.resume = c;
            return this;
        }

        /**
         * Receives every sealed event, in input order, in the thread that sealed its batch.
         *
         * @param s the consumer, for example a line writer
         * @return this builder
         */
        public Builder sink(Consumer<AuditEvent> s) {
            this.sink = s;
            return this;
        }

        /**
         * Signs each batch on a background thread while the next one fills, so that a remote
         * signature overlaps hashing. The sink then runs on that thread (still in order). A failed
         * signature stops the sealer (later batches already chain to it); resume from
         * {@link #checkpoint()}. Default off: a failure fails only its batch.
         *
         * @param on whether to sign in the background
         * @return this builder
         */
        public Builder pipelined(boolean on) {
            this.pipelined = on;
            return this;
        }

        /**
         * Checks the limits and starts the sealer.
         *
         * @return the sealer; close it to seal the last batch
         * @throws IllegalArgumentException when a limit is out of range
         */
        public BatchSealer build() {
            if (maxEvents < 1) {
                throw new IllegalArgumentException("maxEvents must be at least 1, not " + maxEvents);
            }
            if (maxDelay != null && (maxDelay.isNegative() || maxDelay.isZero())) {
                throw new IllegalArgumentException("maxDelay must be positive, not " + maxDelay);
            }
            if (resume != null) {
                BatchChain.requireSameKey(resume, signer);
            }
            return new BatchSealer(this);
        }
    }
}
