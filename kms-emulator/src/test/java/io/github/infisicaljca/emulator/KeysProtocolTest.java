package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Key management: create, list with pagination, lookups, update, delete, and the profiles' differences. */
class KeysProtocolTest {
    private static KmsEmulator kms;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        kms = KmsEmulator.builder().seedKeys(false).start();
        api = new ApiClient(kms).login(kms);
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private static JsonNode create(String project, String name, String usage, String algorithm) throws Exception {
        var body = obj().put("projectId", project).put("name", name);
        if (usage != null) {
            body.put("keyUsage", usage);
        }
        if (algorithm != null) {
            body.put("encryptionAlgorithm", algorithm);
        }
        ApiClient.Answer a = api.post("/api/v1/kms/keys", body);
        assertEquals(200, a.status(), a.body().toString());
        return a.body().path("key");
    }

    @ParameterizedTest
    @CsvSource({
        ",, encrypt-decrypt, aes-256-gcm",
        "encrypt-decrypt, aes-128-gcm, encrypt-decrypt, aes-128-gcm",
        "sign-verify, ECC_NIST_P256, sign-verify, ECC_NIST_P256",
        "sign-verify, ECC_NIST_P521, sign-verify, ECC_NIST_P521",
        "generate-verify-mac, HMAC_SHA_512, generate-verify-mac, HMAC_SHA_512",
    })
    void createReportsTheKeyAsTheCurrentServerDoes(String usage, String algorithm, String expectedUsage,
            String expectedAlgorithm) throws Exception {
        String name = "k-" + expectedAlgorithm.toLowerCase().replace('_', '-') + "-" + (usage == null ? "d" : "x");
        JsonNode key = create(kms.projectId(), name, usage, algorithm);
        assertTrue(RequestBody.UUID.matcher(key.path("id").asText()).matches());
        assertEquals(name, key.path("name").asText());
        assertEquals(kms.projectId(), key.path("projectId").asText());
        assertEquals(expectedUsage, key.path("keyUsage").asText());
        assertEquals(expectedAlgorithm, key.path("encryptionAlgorithm").asText());
        assertEquals(expectedAlgorithm, key.path("algorithm").asText());
        assertFalse(key.path("isDisabled").asBoolean());
        assertEquals(1, key.path("version").asInt());
        Instant.parse(key.path("createdAt").asText());
    }

    @Test
    void createRefusesBadInput() throws Exception {
        ApiClient.Answer mismatch = api.post("/api/v1/kms/keys", obj().put("projectId", kms.projectId())
                .put("name", "mismatch").put("keyUsage", "sign-verify").put("encryptionAlgorithm", "aes-256-gcm"));
        assertEquals(400, mismatch.status());
        ApiClient.Answer badName = api.post("/api/v1/kms/keys", obj().put("projectId", kms.projectId()).put("name", "Not A Slug"));
        assertEquals(422, badName.status());
        ApiClient.Answer unknownAlg = api.post("/api/v1/kms/keys", obj().put("projectId", kms.projectId())
                .put("name", "x1").put("encryptionAlgorithm", "des"));
        assertEquals(422, unknownAlg.status());
        ApiClient.Answer noProject = api.post("/api/v1/kms/keys", obj().put("projectId", "no-such-project").put("name", "x2"));
        assertEquals(404, noProject.status());
        create(kms.projectId(), "dup", null, null);
        ApiClient.Answer dup = api.post("/api/v1/kms/keys", obj().put("projectId", kms.projectId()).put("name", "dup"));
        assertEquals(400, dup.status());
    }

    @Test
    void listingPaginatesInNameOrder() throws Exception {
        String project = kms.addProject();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            String name = String.format("page-key-%03d", i);
            names.add(name);
            create(project, name, null, i % 2 == 0 ? "aes-256-gcm" : "aes-128-gcm");
        }
        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < 300; offset += 100) {
            ApiClient.Answer page = api.get("/api/v1/kms/keys?projectId=" + project + "&offset=" + offset
                    + "&limit=100&orderBy=name&orderDirection=asc");
            assertEquals(200, page.status());
            assertEquals(230, page.body().path("totalCount").asInt());
            page.body().path("keys").forEach(k -> seen.add(k.path("name").asText()));
        }
        assertEquals(names, seen);
        ApiClient.Answer tooMany = api.get("/api/v1/kms/keys?projectId=" + project + "&limit=101");
        assertEquals(422, tooMany.status());
        assertEquals("Number must be less than or equal to 100", tooMany.body().path("message").path(0).path("message").asText());
        ApiClient.Answer search = api.get("/api/v1/kms/keys?projectId=" + project + "&search=key-22");
        assertEquals(10, search.body().path("totalCount").asInt());
        ApiClient.Answer desc = api.get("/api/v1/kms/keys?projectId=" + project + "&limit=1&orderDirection=desc");
        assertEquals("page-key-229", desc.body().path("keys").path(0).path("name").asText());
    }

    @Test
    void lookupsUpdatesAndDeletes() throws Exception {
        JsonNode key = create(kms.projectId(), "lookup-me", null, null);
        String id = key.path("id").asText();
        assertEquals("lookup-me", api.get("/api/v1/kms/keys/" + id).body().path("key").path("name").asText());
        assertEquals(id, api.get("/api/v1/kms/keys/key-name/lookup-me?projectId=" + kms.projectId())
                .body().path("key").path("id").asText());
        ApiClient.Answer renamed = api.send("PATCH", "/api/v1/kms/keys/" + id,
                obj().put("name", "renamed").put("description", "new words"));
        assertEquals("renamed", renamed.body().path("key").path("name").asText());
        assertEquals("new words", renamed.body().path("key").path("description").asText());
        assertEquals(200, api.send("DELETE", "/api/v1/kms/keys/" + id, null).status());
        assertEquals(404, api.get("/api/v1/kms/keys/" + id).status());
    }

    @Test
    void the2024ProfileLacksLookupRoutesAndSendsOlderKeys() throws Exception {
        try (KmsEmulator old = KmsEmulator.builder().seedKeys(false).profile(ServerProfile.INFISICAL_2024).start()) {
            ApiClient c = new ApiClient(old).login(old);
            ApiClient.Answer created = c.post("/api/v1/kms/keys", obj().put("projectId", old.projectId()).put("name", "old"));
            JsonNode key = created.body().path("key");
            assertTrue(key.has("isReserved") && key.has("slug"));
            assertFalse(key.has("keyUsage"));
            String id = key.path("id").asText();
            ApiClient.Answer byId = c.get("/api/v1/kms/keys/" + id);
            assertEquals(404, byId.status());
            assertEquals("Not Found", byId.text("error"));
            assertEquals("Route GET:/api/v1/kms/keys/" + id + " not found", byId.text("message"));
            assertFalse(byId.body().has("reqId"));
            ApiClient.Answer invalid = c.post("/api/v1/kms/keys/" + id + "/encrypt", obj().put("plaintext", "!"));
            assertEquals(401, invalid.status(), "2024 servers answer validation failures with 401");
            assertEquals("ValidationFailure", invalid.text("error"));
            assertFalse(invalid.body().has("reqId"));
        }
    }
}
