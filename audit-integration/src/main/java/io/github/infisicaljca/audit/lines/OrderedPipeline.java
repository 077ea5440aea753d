package io.github.infisicaljca.audit.lines;

import io.github.infisicaljca.audit.AuditCryptoException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads lines in the calling thread, prepares chunks of them on worker threads, and hands the
 * results to one writer thread in input order. The queue between reader and writer holds at most
 * {@code window} chunks, so memory stays bounded whatever the input's size and the output keeps
 * pace with the input (it lags by the window, not by the file). A failure stops reading; what
 * was read before it is still emitted, in order, then the seal reports it.
 */
final class OrderedPipeline {
    static final int CHUNK_LINES = 128;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final LineFormat format;
    private final int threads;
    private final int window;

    /** What the writer has to say when it is done. */
    private volatile Throwable stopped;

    /** A chunk of lines on its way; {@code result == null} marks the input's end. */
    private record Item(CompletableFuture<Chunk> result, Throwable readError) {
    }

    /** A prepared chunk: the lines' numbers and results (null for a blank line), up to the first failure. */
    private record Chunk(long firstLine, LineFormat.Prepared[] prepared, int count, SealStoppedException failure) {
    }

    OrderedPipeline(LineFormat format, int threads, int window) {
        this.format = format;
        this.threads = threads;
        this.window = window;
    }

    /** Seals {@code in} to {@code out}; returns the emitter, done, for its counts. */
    LineFormat.Emitter run(LineSource in, OutputStream out) throws IOException, SealStoppedException {
        int run = RUNS.incrementAndGet();
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> daemon(r, "audit-seal-" + run + "-worker"));
        BlockingQueue<Item> queue = new ArrayBlockingQueue<>(window);
        BufferedOutputStream buffered = new BufferedOutputStream(nonClosing(out), 64 * 1024);
        LineFormat.Emitter emitter = format.emitter(buffered);
        Thread writer = daemon(() -> {
            try {
                write(queue, emitter, buffered);
            } finally {
                emitter.close();
            }
        }, "audit-seal-" + run + "-writer");
        writer.start();
        try {
            ReadEnd end = read(in, queue, workers);
            put(queue, new Item(null, end.error));
            joinUninterruptibly(writer);
            if (stopped != null) {
                rethrow(stopped);
            }
            if (end.error instanceof Error) {
                throw (Error) end.error;
            }
            if (end.error != null) {
                throw new SealStoppedException(SealStoppedException.Reason.INPUT_FAILED, end.lines + 1,
                        end.error.getMessage(), end.error, emitter.written(), emitter.checkpoint());
            }
            return emitter;
        } finally {
            workers.shutdownNow();
        }
    }

    /** Where reading ended: the lines read, and the exception that ended the input, if any. */
    private record ReadEnd(long lines, Throwable error) {
    }

    /** The reader: the calling thread. */
    private ReadEnd read(LineSource in, BlockingQueue<Item> queue, ExecutorService workers) {
        long lineNumber = 0;
        String[] lines = new String[CHUNK_LINES];
        int n = 0;
        Throwable readError = null;
        try {
            String line;
            while (stopped == null && (line = in.next()) != null) {
                lineNumber++;
                lines[n++] = line;
                if (n == CHUNK_LINES) {
                    submit(queue, workers, lineNumber - n + 1, lines, n);
                    lines = new String[CHUNK_LINES];
                    n = 0;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            readError = e;
        }
        if (n > 0 && stopped == null) {
            submit(queue, workers, lineNumber - n + 1, lines, n);
        }
        return new ReadEnd(lineNumber, readError);
    }

    private void submit(BlockingQueue<Item> queue, ExecutorService workers, long first, String[] lines, int n) {
        put(queue, new Item(CompletableFuture.supplyAsync(() -> prepare(first, lines, n), workers), null));
    }

    /** A worker: prepares a chunk's lines in order, stopping at the first that fails. */
    private Chunk prepare(long first, String[] lines, int n) {
        LineFormat.Prepared[] out = new LineFormat.Prepared[n];
        for (int i = 0; i < n; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            try {
                out[i] = format.prepare(line);
            } catch (IllegalArgumentException e) {
                return new Chunk(first, out, i, stop(SealStoppedException.Reason.INVALID_EVENT, first + i, e));
            } catch (AuditCryptoException e) {
                return new Chunk(first, out, i, stop(SealStoppedException.Reason.SIGNING_FAILED, first + i, e));
            }
        }
        return new Chunk(first, out, n, null);
    }

    private static SealStoppedException stop(SealStoppedException.Reason reason, long line, Exception e) {
        return new SealStoppedException(reason, line, e.getMessage(), e, -1, null); // counts filled in by the writer
    }

    /** The writer thread: emits chunks in order; after a failure it only drains the queue. */
    private void write(BlockingQueue<Item> queue, LineFormat.Emitter emitter, OutputStream buffered) {
        try {
            while (true) {
                Item item = take(queue);
                if (item.result == null) {
                    if (stopped == null) {
                        emitter.finish();
                        buffered.flush();
                    }
                    return;
                }
                if (stopped != null) {
                    item.result.cancel(false);
                    continue;
                }
                Chunk c = item.result.join();
                for (int i = 0; i < c.count; i++) {
                    if (c.prepared[i] != null) {
                        emitter.accept(c.firstLine + i, c.prepared[i]);
                    }
                }
                if (c.failure != null) {
                    emitter.finish(); // the events before the failing line are sealed too
                    buffered.flush();
                    SealStoppedException f = c.failure;
                    stopped = new SealStoppedException(f.reason(), f.line(), f.getMessage(), f.getCause(),
                            emitter.written(), emitter.checkpoint());
                }
            }
        } catch (SealStoppedException e) {
            stopped = e;
            flushQuietly(buffered); // the batches before the failed one are whole lines: they must reach the output
            drain(queue);
        } catch (IOException | RuntimeException | Error e) {
            stopped = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            drain(queue);
        }
    }

    private static void flushQuietly(OutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            // the seal's own failure is the one to report
        }
    }

    private static void drain(BlockingQueue<Item> queue) {
        while (true) {
            Item item = take(queue);
            if (item.result == null) {
                return;
            }
            item.result.cancel(false);
        }
    }

    private static void rethrow(Throwable t) throws IOException, SealStoppedException {
        if (t instanceof SealStoppedException) {
            throw (SealStoppedException) t;
        }
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t);
    }

    private static Item take(BlockingQueue<Item> queue) {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // the pipeline's own threads are not interrupted; keep the order intact
            }
        }
    }

    private static void put(BlockingQueue<Item> queue, Item item) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The caller's stream, which the caller closes. */
    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
