package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.b64;
import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A development server keeps its identity, project, keys and port across restarts. */
class StateDirectoryTest {
    @Test
    void keysCredentialsAndMaterialSurviveARestart(@TempDir Path dir) throws Exception {
        byte[] data = "kept across restarts".getBytes();
        String clientId;
        String clientSecret;
        String projectId;
        String created;
        String ciphertext;
        byte[] publicKey;
        try (KmsEmulator first = KmsEmulator.builder().stateDirectory(dir).start()) {
            clientId = first.clientId();
            clientSecret = first.clientSecret();
            projectId = first.projectId();
            ApiClient api = new ApiClient(first).login(first);
            created = api.post("/api/v1/kms/keys", obj().put("projectId", projectId).put("name", "made-later"))
                    .body().path("key").path("id").asText();
            ciphertext = api.op(created, "encrypt", obj().put("plaintext", b64(data))).text("ciphertext");
            publicKey = api.get("/api/v1/kms/keys/" + first.signingKeyId() + "/public-key").bytes("publicKey");
        }
        Path file = dir.resolve(StateFile.NAME);
        assertTrue(Files.exists(file));
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(file), "the state holds private keys");
        }
        try (KmsEmulator second = KmsEmulator.builder().stateDirectory(dir).start()) {
            assertEquals(clientId, second.clientId());
            assertEquals(clientSecret, second.clientSecret());
            assertEquals(projectId, second.projectId());
            ApiClient api = new ApiClient(second).login(second);
            assertEquals(created, second.keyId("made-later"));
            assertArrayEquals(data, api.op(created, "decrypt", obj().put("ciphertext", ciphertext)).bytes("plaintext"));
            assertArrayEquals(publicKey, api.get("/api/v1/kms/keys/" + second.signingKeyId() + "/public-key")
                    .bytes("publicKey"));
            assertEquals(5, api.get("/api/v1/kms/keys?projectId=" + projectId).body().path("totalCount").asInt());
            api.send("DELETE", "/api/v1/kms/keys/" + created, null);
        }
        try (KmsEmulator third = KmsEmulator.builder().stateDirectory(dir).start()) {
            assertEquals(4, new ApiClient(third).login(third)
                    .get("/api/v1/kms/keys?projectId=" + projectId).body().path("totalCount").asInt(), "the delete was kept");
        }
    }

    @Test
    void the2024ProfileRefusesAStateWithKeysItCannotHave(@TempDir Path dir) throws Exception {
        KmsEmulator.builder().stateDirectory(dir).start().close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KmsEmulator.builder().stateDirectory(dir).profile(ServerProfile.INFISICAL_2024).start());
        // Whichever of the three seeded keys it meets first.
        assertTrue(e.getMessage().matches("the state in .* holds key (signing-key|ec-signing-key|hmac-key), but the"
                + " INFISICAL_2024 profile has no (RSA_4096|ECC_NIST_P256|HMAC_SHA_256) keys: .*"), e.getMessage());
    }

    @Test
    void a2024StateKeepsItsAesKey(@TempDir Path dir) throws Exception {
        String id;
        try (KmsEmulator first = KmsEmulator.builder().stateDirectory(dir).profile(ServerProfile.INFISICAL_2024).start()) {
            id = first.encryptionKeyId();
        }
        try (KmsEmulator second = KmsEmulator.builder().stateDirectory(dir).profile(ServerProfile.INFISICAL_2024).start()) {
            assertEquals(id, second.encryptionKeyId());
            assertEquals(1, new ApiClient(second).login(second).get("/api/v1/kms/keys?projectId=" + second.projectId())
                    .body().path("totalCount").asInt());
        }
    }

    @Test
    void aRestartListensOnTheSamePortSoTheUrlStaysValid(@TempDir Path dir) throws Exception {
        int port;
        try (KmsEmulator first = KmsEmulator.builder().stateDirectory(dir).start()) {
            port = first.port();
        }
        try (KmsEmulator second = KmsEmulator.builder().stateDirectory(dir).start()) {
            assertEquals(port, second.port());
            assertEquals(200, new ApiClient(second).login(second)
                    .get("/api/v1/kms/keys?projectId=" + second.projectId()).status());
        }
    }

    @Test
    void aKeptPortInUseFailsNamingItAndAnExplicitPortWinsAndIsKept(@TempDir Path dir) throws Exception {
        int kept;
        try (KmsEmulator first = KmsEmulator.builder().stateDirectory(dir).start()) {
            kept = first.port();
        }
        int moved;
        try (ServerSocket squatter = new ServerSocket(kept, 50, InetAddress.getLoopbackAddress())) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> KmsEmulator.builder().stateDirectory(dir).start());
            assertInstanceOf(BindException.class, e.getCause());
            assertTrue(e.getMessage().startsWith("port " + kept + " on 127.0.0.1 is in use; it is the port kept in "
                    + dir.resolve(StateFile.NAME) + " so that the URL handed out before stays valid: free it, or choose"
                    + " another port, which is then kept instead"), e.getMessage());
            try (KmsEmulator elsewhere = KmsEmulator.builder().stateDirectory(dir).port(0).start()) {
                moved = elsewhere.port();
                assertNotEquals(kept, moved);
            }
        }
        try (KmsEmulator again = KmsEmulator.builder().stateDirectory(dir).start()) {
            assertEquals(moved, again.port(), "the explicit port is the one kept now");
        }
    }
}
