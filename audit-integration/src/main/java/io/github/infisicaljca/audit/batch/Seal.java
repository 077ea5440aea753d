package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An event's {@code seal} object: its leaf index and inclusion proof, and its batch's signed
 * statement with the signature, so that the event verifies alone.
 */
public final class Seal {
    private final long index;
    private final List<byte[]> proof;
    private final BatchStatement statement;
    private final String signature;
    private final byte[] signatureBytes;

    private Seal(long index, List<byte[]> proof, BatchStatement statement, String signature) {
        this.statement = Objects.requireNonNull(statement, "statement");
        if (index < 0 || index >= statement.size()) {
            throw new IllegalArgumentException("seal: index " + index + " is outside the batch of " + statement.size());
        }
        this.index = index;
        List<byte[]> copy = new ArrayList<>();
        proof.forEach(p -> copy.add(p.clone()));
        this.proof = Collections.unmodifiableList(copy);
        this.signature = signature;
        this.signatureBytes = Batches.bytes(signature, "signature", "seal");
    }

    static Seal of(long index, List<byte[]> proof, BatchStatement statement, String signature) {
        return new Seal(index, proof, statement, signature);
    }

    /** Reads a seal object, strictly: every field present with its type, base64 in its one canonical form. */
    static Seal read(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("seal: must be a JSON object");
        }
        BatchStatement st = BatchStatement.read(o, "seal");
        JsonNode p = o.get("proof");
        if (p == null || !p.isArray()) {
            throw new IllegalArgumentException("seal: field 'proof' must be an array of base64 hashes");
        }
        List<byte[]> proof = new ArrayList<>();
        for (JsonNode h : p) {
            if (!h.isTextual()) {
                throw new IllegalArgumentException("seal: field 'proof' must be an array of base64 hashes");
            }
            proof.add(Batches.hash(h.textValue(), "proof", "seal"));
        }
        return new Seal(Batches.number(o, "index", "seal"), proof, st, Batches.text(o, "signature", "seal"));
    }

    ObjectNode write(ObjectNode o) {
        o.put("v", BatchStatement.VERSION);
        o.put("index", index);
        o.put("size", statement.size());
        ArrayNode arr = o.putArray("proof");
        proof.forEach(h -> arr.add(Batches.b64(h)));
        ObjectNode rest = statement.write(o.objectNode());
        rest.remove(List.of("v", "size"));
        o.setAll(rest);
        o.put("signature", signature);
        return o;
    }

    /** {@return the event's position in its batch, from 0} */
    public long index() {
        return index;
    }

    /** {@return the event's inclusion proof (copies), from its sibling up} */
    public List<byte[]> proof() {
        List<byte[]> out = new ArrayList<>();
        proof.forEach(p -> out.add(p.clone()));
        return out;
    }

    /** {@return the statement of the event's batch} */
    public BatchStatement statement() {
        return statement;
    }

    /** {@return the signature, standard base64 with padding} */
    public String signature() {
        return signature;
    }

    byte[] signatureBytes() {
        return signatureBytes.clone();
    }
}
