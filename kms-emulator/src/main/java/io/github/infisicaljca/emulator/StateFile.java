package io.github.infisicaljca.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/**
 * The emulator's state in one JSON file, so that a development server keeps its identity,
 * project and keys (with their material) across restarts. Written whole to a temporary file
 * and moved into place, readable by the owner only. For development: it holds private keys.
 */
final class StateFile {
    static final String NAME = "kms-emulator-state.json";

    /** What survives a restart; {@code port} is null in a file written before ports were kept. */
    record State(String orgId, String projectId, String clientId, String clientSecret, Integer port,
            List<EmulatedKey> keys) {
    }

    private StateFile() {
    }

    static State load(Path dir) {
        Path file = dir.resolve(NAME);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode root = HttpFront.JSON.readTree(file.toFile());
            List<EmulatedKey> keys = new ArrayList<>();
            for (JsonNode k : root.path("keys")) {
                KeySpec spec = KeySpec.fromWire(k.path("algorithm").asText());
                if (spec == null) {
                    throw new IOException("unknown key algorithm " + k.path("algorithm").asText());
                }
                keys.add(new EmulatedKey(k.path("id").asText(), root.path("orgId").asText(), k.path("projectId").asText(),
                        k.path("name").asText(), k.path("description").isNull() ? null : k.path("description").asText(),
                        k.path("disabled").asBoolean(), Instant.parse(k.path("createdAt").asText()),
                        Instant.parse(k.path("updatedAt").asText()), k.path("version").asInt(1), spec, material(spec, k)));
            }
            Integer port = root.path("port").canConvertToInt() ? root.path("port").asInt() : null;
            return new State(root.path("orgId").asText(), root.path("projectId").asText(), root.path("clientId").asText(),
                    root.path("clientSecret").asText(), port, keys);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the emulator state " + file + ": " + e.getMessage(), e);
        }
    }

    static void save(Path dir, State state) {
        ObjectNode root = HttpFront.JSON.createObjectNode().put("version", 1).put("orgId", state.orgId())
                .put("projectId", state.projectId()).put("clientId", state.clientId())
                .put("clientSecret", state.clientSecret()).put("port", state.port());
        ArrayNode keys = root.putArray("keys");
        for (EmulatedKey k : state.keys()) {
            ObjectNode n = keys.addObject().put("id", k.id()).put("projectId", k.projectId()).put("name", k.name())
                    .put("description", k.description()).put("disabled", k.disabled())
                    .put("createdAt", k.createdAt().toString()).put("updatedAt", k.updatedAt().toString())
                    .put("version", k.version()).put("algorithm", k.spec().wire);
            if (k.spec().usage == KeySpec.Usage.SIGN_VERIFY) {
                n.put("privateKey", b64(k.keyPair().getPrivate())).put("publicKey", b64(k.keyPair().getPublic()));
            } else {
                n.put("secret", b64(k.secretKey()));
            }
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".state", ".tmp");
            restrict(tmp);
            Files.write(tmp, HttpFront.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try {
                Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the emulator state in " + dir, e);
        }
    }

    private static Object material(KeySpec spec, JsonNode k) throws GeneralSecurityException {
        Base64.Decoder d = Base64.getDecoder();
        if (spec.usage == KeySpec.Usage.SIGN_VERIFY) {
            KeyFactory f = KeyFactory.getInstance(spec.isRsa() ? "RSA" : "EC");
            return new KeyPair(f.generatePublic(new X509EncodedKeySpec(d.decode(k.path("publicKey").asText()))),
                    f.generatePrivate(new PKCS8EncodedKeySpec(d.decode(k.path("privateKey").asText()))));
        }
        byte[] raw = d.decode(k.path("secret").asText());
        return new SecretKeySpec(raw, spec.usage == KeySpec.Usage.ENCRYPT_DECRYPT ? "AES" : spec.macAlgorithm());
    }

    private static String b64(Key key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory is already private by default.
        }
    }
}
