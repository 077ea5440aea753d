package io.github.infisicaljca.audit.batch;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cross-event checks of a stream, fed with the seals whose signature verified: within a
 * batch indices 0..n-1 in order, from batch to batch the chain (seq + 1, prev = the root before,
 * count = the count before + size). A gap is first reported as a deletion at the line after it;
 * when the missing event turns up later, the deletion is withdrawn and the late line reported as
 * reordered, so two swapped events give one finding, not two.
 */
final class ChainTracker {
    private final List<Finding> findings; // shared with the verifier; withdrawn findings become null

    private final Map<String, Batch> batches = new HashMap<>();
    private final Map<String, Long> foreign = new HashMap<>();
    private Batch open; // the chain's last batch, the one whose events are expected now
    private long unplaced; // lines since the last placed one that failed before their place could be read

    /**
     * A line whose seal could not be trusted (malformed, unknown key, bad signature): it already
     * has its finding, and it probably stands where it was sealed, so the gap it leaves is not
     * reported again as a deletion.
     */
    void unplaced() {
        unplaced++;
    }

    private static final class Batch {
        final BatchStatement st;
        final BitSet seen = new BitSet();
        long[] lineOf = new long[16]; // grown as indices come: a long per event, not a boxed map entry
        final List<Gap> gaps = new ArrayList<>();
        long next;

        Batch(BatchStatement st) {
            this.st = st;
        }
    }

    private static final class Gap {
        final BitSet missing;
        final int finding;

        Gap(BitSet missing, int finding) {
            this.missing = missing;
            this.finding = finding;
        }
    }

    ChainTracker(List<Finding> findings) {
        this.findings = findings;
    }

    /** @param failed whether this line already failed (an altered event keeps its place but adds no other finding) */
    void accept(long line, Seal s, boolean failed) {
        BatchStatement st = s.statement();
        String key = Batches.b64(st.root());
        Batch b = batches.get(key);
        if (b == null && foreign.containsKey(key)) {
            add(line, Problem.FOREIGN, "an event of batch " + st.seq() + " of another chain (see line "
                    + foreign.get(key) + ")");
            return;
        }
        if (b == null) {
            BatchStatement head = open == null ? null : open.st;
            boolean links = head == null ? st.seq() == 0 && isGenesis(st) : st.follows(head);
            long headSeq = head == null ? -1 : head.seq();
            long headCount = head == null ? 0 : head.count();
            if (!links && st.seq() > headSeq + 1 && st.count() - st.size() > headCount && !isGenesis(st)) {
                add(line, Problem.DELETED, "batches " + (headSeq + 1) + " to " + (st.seq() - 1) + " ("
                        + (st.count() - st.size() - headCount) + " events) are missing before this line");
            } else if (!links) {
                foreign.put(key, line);
                add(line, Problem.FOREIGN, "batch " + st.seq() + " does not follow batch " + headSeq
                        + " of this log (its prev, seq or count differ): an event of another log");
                return;
            }
            closeOpen(line);
            b = new Batch(st);
            batches.put(key, b);
            open = b;
        }
        place(b, line, s.index(), failed);
    }

    private static boolean isGenesis(BatchStatement st) {
        return java.util.Arrays.equals(st.prev(), BatchStatement.GENESIS) && st.count() == st.size();
    }

    private void place(Batch b, long line, long idx, boolean failed) {
        int i = (int) idx;
        long failedBefore = unplaced;
        unplaced = 0;
        if (b.seen.get(i)) {
            if (!failed) {
                add(line, Problem.INSERTED, "repeats event " + idx + " of batch " + b.st.seq() + " (line "
                        + b.lineOf[i] + ")");
            }
            return;
        }
        b.seen.set(i);
        if (i >= b.lineOf.length) {
            b.lineOf = java.util.Arrays.copyOf(b.lineOf, (int) Math.min(b.st.size(), Math.max(i + 1L, 2L * i)));
        }
        b.lineOf[i] = line;
        if (idx == b.next) {
            b.next++;
        } else if (idx > b.next && idx - b.next <= failedBefore) {
            b.next = idx + 1; // the failed lines just before stand in the gap
        } else if (idx > b.next) {
            BitSet missing = new BitSet();
            missing.set((int) b.next, i);
            gap(b, missing, line, Problem.DELETED, "events " + b.next + " to " + (idx - 1) + " of batch "
                    + b.st.seq() + " are missing before this line");
            b.next = idx + 1;
        } else {
            for (Gap g : b.gaps) {
                if (g.missing.get(i)) {
                    g.missing.clear(i);
                    if (g.missing.isEmpty() && findings.get(g.finding) != null
                            && findings.get(g.finding).problem() == Problem.DELETED) {
                        findings.set(g.finding, null); // not deleted after all: only moved
                    }
                }
            }
            add(line, Problem.REORDERED, "event " + idx + " of batch " + b.st.seq()
                    + " stands after events sealed after it");
        }
    }

    private void closeOpen(long line) {
        if (open != null && open.st.size() - open.next <= unplaced) {
            open.next = open.st.size();
            unplaced = 0; // they stood for the end of this batch, not for the start of the next
        }
        if (open != null && open.next < open.st.size()) {
            BitSet missing = new BitSet();
            missing.set((int) open.next, (int) open.st.size());
            gap(open, missing, line, Problem.DELETED, "events " + open.next + " to " + (open.st.size() - 1)
                    + " of batch " + open.st.seq() + " (of " + open.st.size() + ") are missing before this line");
            open.next = open.st.size();
        }
    }

    private void gap(Batch b, BitSet missing, long line, Problem p, String reason) {
        add(line, p, reason);
        b.gaps.add(new Gap(missing, findings.size() - 1));
    }

    /** Whether events of the chain's last batch are still expected (a line without seal here is inserted). */
    boolean inOpenBatch() {
        return open != null && open.next < open.st.size();
    }

    /** The end of the log, at line {@code end} (the line count + 1). */
    void end(long end) {
        if (open != null && open.st.size() - open.next <= unplaced) {
            open.next = open.st.size();
        }
        if (inOpenBatch()) {
            BitSet missing = new BitSet();
            missing.set((int) open.next, (int) open.st.size());
            gap(open, missing, end, Problem.TRUNCATED, "the log ends inside batch " + open.st.seq() + ": events "
                    + open.next + " to " + (open.st.size() - 1) + " of " + open.st.size() + " are missing");
        }
    }

    /** The chain's last batch, {@code null} when no sealed event linked. */
    BatchStatement head() {
        return open == null ? null : open.st;
    }

    /** Whether {@code st} is a batch of this log's chain. */
    boolean contains(BatchStatement st) {
        Batch b = batches.get(Batches.b64(st.root()));
        return b != null && b.st.equals(st);
    }

    private void add(long line, Problem p, String reason) {
        findings.add(new Finding(line, p, reason));
    }
}
