package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One signed batch: its tree, statement and signature, from which each of its events' seal
 * objects is made. Immutable and thread-safe, so that seals can be written from several threads.
 */
public final class SignedBatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] INDEX = ("{\"v\":" + BatchStatement.VERSION + ",\"index\":")
            .getBytes(StandardCharsets.US_ASCII);

    private final MerkleTree tree;
    private final BatchStatement statement;
    private final String signature;

    /** The seal fields every event of the batch shares: the end of each seal object's JSON text, after the proof. */
    private final byte[] sharedTail;
    private final byte[] sizeAndProof;
    private volatile List<List<byte[]>> quoted;

    SignedBatch(MerkleTree tree, BatchStatement statement, String signature) {
        this.tree = tree;
        this.statement = statement;
        this.signature = signature;
        this.sizeAndProof = (",\"size\":" + tree.size() + ",\"proof\":[").getBytes(StandardCharsets.US_ASCII);
        ObjectNode shared = statement.write(JsonNodeFactory.instance.objectNode());
        shared.remove(List.of("v", "size"));
        shared.put("signature", signature);
        try {
            this.sharedTail = ("]," + JSON.writeValueAsString(shared).substring(1)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return what the signature covers} */
    public BatchStatement statement() {
        return statement;
    }

    /** {@return the signature over {@link BatchStatement#canonical()}, standard base64 with padding} */
    public String signature() {
        return signature;
    }

    /** {@return the number of events in the batch} */
    public int size() {
        return tree.size();
    }

    /** {@return the checkpoint at this batch: the chain ends here if no batch follows} */
    public Checkpoint checkpoint() {
        return Checkpoint.of(statement, signature);
    }

    /**
     * The seal of one event.
     *
     * @param index the event's position, 0-based, in the batch's order
     * @return its seal
     */
    public Seal seal(int index) {
        return Seal.of(index, tree.proof(index), statement, signature);
    }

    /**
     * The seal object of the event at {@code index} as compact JSON text, field for field what
     * {@link BatchSealer} writes.
     *
     * @param index the event's position, 0-based
     * @return the seal's JSON
     */
    public String sealJson(int index) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
        try {
            writeSealJson(index, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes {@link #sealJson} as UTF-8 without building a JSON tree or a String: the shared
     * fields and every tree node's base64 are encoded once per batch, not once per event.
     *
     * @param index the event's position, 0-based
     * @param out where to write
     * @throws IOException when {@code out} fails
     */
    public void writeSealJson(int index, OutputStream out) throws IOException {
        if (index < 0 || index >= tree.size()) {
            throw new IndexOutOfBoundsException("index " + index + " is outside the batch of " + tree.size());
        }
        List<List<byte[]>> nodes = quotedNodes();
        byte[] digits = Integer.toString(index).getBytes(StandardCharsets.US_ASCII);
        byte[][] proof = new byte[32][];
        int[] steps = {0};
        tree.proofSteps(index, (level, position) -> proof[steps[0]++] = nodes.get(level).get(position));
        int length = INDEX.length + digits.length + sizeAndProof.length + sharedTail.length + Math.max(0, steps[0] - 1);
        for (int i = 0; i < steps[0]; i++) {
            length += proof[i].length;
        }
        // One array and one write per seal: a dozen small writes per line cost more than the bytes.
        byte[] seal = new byte[length];
        int p = put(INDEX, seal, 0);
        p = put(digits, seal, p);
        p = put(sizeAndProof, seal, p);
        for (int i = 0; i < steps[0]; i++) {
            if (i > 0) {
                seal[p++] = ',';
            }
            p = put(proof[i], seal, p);
        }
        put(sharedTail, seal, p);
        out.write(seal);
    }

    private static int put(byte[] from, byte[] to, int at) {
        System.arraycopy(from, 0, to, at, from.length);
        return at + from.length;
    }

    /** Each tree node as a quoted base64 JSON string, made on first use (the thread-safe lazy holder idiom). */
    private List<List<byte[]>> quotedNodes() {
        List<List<byte[]>> n = quoted;
        if (n == null) {
            Base64.Encoder base64 = Base64.getEncoder();
            n = tree.mapNodes(h -> ("\"" + base64.encodeToString(h) + "\"").getBytes(StandardCharsets.US_ASCII));
            quoted = n;
        }
        return n;
    }
}
