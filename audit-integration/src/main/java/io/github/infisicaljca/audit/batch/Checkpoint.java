package io.github.infisicaljca.audit.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The last batch's signed statement and signature: where a log ends, to check later that it
 * still ends there (nothing cut off), and where a sealer resumes the chain after a restart.
 */
public final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BatchStatement statement;
    private final String signature;

    private Checkpoint(BatchStatement statement, String signature) {
        this.statement = Objects.requireNonNull(statement, "statement");
        this.signature = Objects.requireNonNull(signature, "signature");
        Batches.bytes(signature, "signature", "checkpoint");
    }

    /**
     * A checkpoint of a signed batch.
     *
     * @param statement the batch's statement
     * @param signature its signature, standard base64
     * @return the checkpoint
     */
    public static Checkpoint of(BatchStatement statement, String signature) {
        return new Checkpoint(statement, signature);
    }

    /**
     * Reads a checkpoint's JSON, strictly (as seals are read).
     *
     * @param json the JSON text
     * @return the checkpoint
     * @throws IllegalArgumentException when it is not a valid checkpoint
     */
    public static Checkpoint parse(String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("checkpoint: not valid JSON");
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("checkpoint: must be a JSON object");
        }
        return new Checkpoint(BatchStatement.read(o, "checkpoint"), Batches.text(o, "signature", "checkpoint"));
    }

    /**
     * Reads a checkpoint file, as {@link #write} wrote it.
     *
     * @param file the file
     * @return the checkpoint
     * @throws IOException when the file cannot be read
     */
    public static Checkpoint read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Writes the checkpoint (one line of canonical JSON) through a temporary file, so a crash leaves the old one.
     *
     * @param file the file
     * @throws IOException when it cannot be written
     */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, toJson() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@return {@code {"v":1,"root","size","prev","count","seq","keyId","algorithm","signature"}} in canonical (JCS) form} */
    public String toJson() {
        ObjectNode o = statement.write(JsonNodeFactory.instance.objectNode());
        o.put("signature", signature);
        return Jcs.canonicalize(o);
    }

    /** {@return the statement of the last batch} */
    public BatchStatement statement() {
        return statement;
    }

    /** {@return the statement's signature, standard base64} */
    public String signature() {
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint && ((Checkpoint) o).toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return statement.hashCode();
    }

    @Override
    public String toString() {
        return "Checkpoint" + toJson();
    }
}
