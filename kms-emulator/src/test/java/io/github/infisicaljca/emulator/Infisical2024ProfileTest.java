package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.b64;
import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where the real 2024 server differs from newer ones, the {@link ServerProfile#INFISICAL_2024}
 * profile follows it (the API reference's list, measured against a live server), and the current
 * profile keeps its own behaviour.
 */
class Infisical2024ProfileTest {
    private static final String KEYS = "/api/v1/kms/keys";

    private KmsEmulator kms;
    private ApiClient api;

    private void start(ServerProfile profile) throws Exception {
        start(KmsEmulator.builder().profile(profile));
    }

    private void start(KmsEmulator.Builder builder) throws Exception {
        kms = builder.start();
        api = new ApiClient(kms).login(kms);
    }

    @AfterEach
    void stop() {
        if (kms != null) {
            kms.close();
        }
    }

    private ApiClient.Answer create(ObjectNode fields) throws Exception {
        return api.post(KEYS, fields.put("projectId", kms.projectId()));
    }

    private JsonNode listed(String name) throws Exception {
        for (JsonNode k : api.get(KEYS + "?projectId=" + kms.projectId()).body().path("keys")) {
            if (k.path("name").asText().equals(name)) {
                return k;
            }
        }
        throw new AssertionError("no key " + name);
    }

    private static void assertIssue(ApiClient.Answer a, int status, String field, String message) {
        assertEquals(status, a.status(), a.body().toString());
        assertEquals("ValidationFailure", a.text("error"));
        assertEquals(message, a.body().path("message").path(0).path("message").asText(), a.body().toString());
        assertEquals(field, a.body().path("message").path(0).path("path").path(0).asText());
    }

    @Test
    void onlyAesKeysCanBeCreatedAndFieldsTheServerDidNotKnowAreIgnored() throws Exception {
        start(ServerProfile.INFISICAL_2024);
        for (String algorithm : List.of("RSA_4096", "ECC_NIST_P256", "HMAC_SHA_256")) {
            ApiClient.Answer refused = create(obj().put("name", "k").put("encryptionAlgorithm", algorithm));
            assertIssue(refused, 401, "encryptionAlgorithm",
                    "Invalid enum value. Expected 'aes-256-gcm' | 'aes-128-gcm', received '" + algorithm + "'");
            assertFalse(refused.body().has("reqId"));
        }
        assertEquals(200, create(obj().put("name", "usage-ignored").put("keyUsage", "sign-verify")).status());
        assertEquals("aes-256-gcm", listed("usage-ignored").path("encryptionAlgorithm").asText());
        assertEquals(200, create(obj().put("name", "algorithm-ignored").put("algorithm", "RSA_4096")).status());
        assertEquals("aes-256-gcm", listed("algorithm-ignored").path("encryptionAlgorithm").asText());
    }

    @Test
    void signingAndMacRoutesDoNotExistWithOrWithoutAToken() throws Exception {
        start(ServerProfile.INFISICAL_2024);
        String id = kms.encryptionKeyId();
        ApiClient anonymous = new ApiClient(kms);
        List<String[]> routes = List.of(new String[] {"POST", "sign"}, new String[] {"POST", "verify"},
                new String[] {"POST", "generate-mac"}, new String[] {"POST", "verify-mac"},
                new String[] {"GET", "public-key"}, new String[] {"GET", "signing-algorithms"});
        for (String[] r : routes) {
            String path = KEYS + "/" + id + "/" + r[1];
            ObjectNode expected = obj().put("statusCode", 404).put("message", "Route " + r[0] + ":" + path + " not found")
                    .put("error", "Not Found");
            ObjectNode body = r[0].equals("POST") ? obj().put("data", "AQID") : null;
            assertEquals(expected, api.send(r[0], path, body).body(), path);
            ApiClient.Answer noToken = anonymous.send(r[0], path, body);
            assertEquals(404, noToken.status(), "a missing route is 404 before any auth check: " + path);
            assertEquals(expected, noToken.body());
        }
        ApiClient.Answer encrypt = anonymous.op(id, "encrypt", obj().put("plaintext", "AQID"));
        assertEquals(401, encrypt.status(), "an existing route checks the token");
    }

    @Test
    void onlyTheAesKeyIsSeededAndSigningKeysCannotBeImported() throws Exception {
        start(ServerProfile.INFISICAL_2024);
        assertEquals(ServerProfile.INFISICAL_2024, kms.profile());
        JsonNode keys = api.get(KEYS + "?projectId=" + kms.projectId()).body().path("keys");
        assertEquals(1, keys.size(), keys.toString());
        assertEquals(KmsEmulator.ENCRYPTION_KEY, keys.path(0).path("name").asText());
        assertEquals(kms.encryptionKeyId(), keys.path(0).path("id").asText());
        IllegalStateException noSigningKey = assertThrows(IllegalStateException.class, kms::signingKeyId);
        assertTrue(noSigningKey.getMessage().contains("INFISICAL_2024 profile has no signing key"),
                noSigningKey.getMessage());
        IllegalArgumentException noRsa = assertThrows(IllegalArgumentException.class,
                () -> kms.importKey("rsa", "RSA_4096", new KeyPair(null, null)));
        assertEquals("the INFISICAL_2024 profile has no RSA_4096 keys: the 2024 server offers only aes-256-gcm and"
                + " aes-128-gcm keys", noRsa.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kms.importKey("mac", "HMAC_SHA_256", new byte[32]));
        String aes128 = kms.importKey("aes128", "aes-128-gcm", new byte[16]);
        assertEquals(200, api.op(aes128, "encrypt", obj().put("plaintext", "AQID")).status());
    }

    @ParameterizedTest
    @EnumSource(ServerProfile.class)
    void aes128KeysWorkBesideAes256Keys(ServerProfile profile) throws Exception {
        start(KmsEmulator.builder().profile(profile).seedKeys(false));
        for (String algorithm : List.of("aes-128-gcm", "aes-256-gcm")) {
            ApiClient.Answer created = create(obj().put("name", algorithm).put("encryptionAlgorithm", algorithm));
            assertEquals(200, created.status(), created.body().toString());
            assertEquals(algorithm, listed(algorithm).path("encryptionAlgorithm").asText());
            String id = created.body().path("key").path("id").asText();
            byte[] plaintext = "sixteen or thirty-two".getBytes();
            ApiClient.Answer ct = api.op(id, "encrypt", obj().put("plaintext", b64(plaintext)));
            assertEquals(12 + plaintext.length + 16 + 3, ct.bytes("ciphertext").length, "IV || ct || tag || v01");
            assertArrayEquals(plaintext, api.op(id, "decrypt", obj().put("ciphertext", ct.text("ciphertext")))
                    .bytes("plaintext"));
        }
    }

    @ParameterizedTest
    @EnumSource(ServerProfile.class)
    void aBodyThatIsNotJsonIsAStringToTheSchema(ServerProfile profile) throws Exception {
        start(profile);
        String encrypt = KEYS + "/" + kms.encryptionKeyId() + "/encrypt";
        int status = profile == ServerProfile.INFISICAL_2024 ? 401 : 422;
        assertIssue(api.sendRaw("POST", encrypt, "text/plain", "{\"plaintext\":\"AQID\"}"), status, "",
                "Expected object, received string");
        assertIssue(api.sendRaw("PATCH", KEYS + "/" + kms.encryptionKeyId(), "text/plain; charset=utf-8",
                "{\"description\":\"x\"}"), status, "", "Expected object, received string");
        assertEquals(200, api.sendRaw("POST", encrypt, "application/json; charset=utf-8", "{\"plaintext\":\"AQID\"}")
                .status());
        String missing = profile == ServerProfile.INFISICAL_2024 ? "null" : "undefined";
        assertIssue(api.post(encrypt, null), status, "", "Expected object, received " + missing);
    }

    @Test
    void createAndUpdateAnswerTheBareKeyRowWhileTheListingHasVersionAndAlgorithm() throws Exception {
        start(ServerProfile.INFISICAL_2024);
        Set<String> recorded = Set.of("id", "description", "isDisabled", "isReserved", "orgId", "name", "createdAt",
                "updatedAt", "projectId", "slug");
        JsonNode created = create(obj().put("name", "bare").put("encryptionAlgorithm", "aes-128-gcm")).body().path("key");
        assertEquals(new TreeSet<>(recorded), fields(created), "the fields of 10-kms-create-key-aes256.json");
        String id = created.path("id").asText();
        JsonNode updated = api.send("PATCH", KEYS + "/" + id, obj().put("isDisabled", true)).body().path("key");
        assertEquals(new TreeSet<>(recorded), fields(updated), "the fields of 24-kms-disable-key.json");
        JsonNode listed = listed("bare");
        assertEquals(1, listed.path("version").asInt());
        assertEquals("aes-128-gcm", listed.path("encryptionAlgorithm").asText());
    }

    @Test
    void currentServersAnswerTheWholeKeyToACreate() throws Exception {
        start(ServerProfile.CURRENT);
        JsonNode created = create(obj().put("name", "whole")).body().path("key");
        assertEquals(1, created.path("version").asInt());
        assertEquals("aes-256-gcm", created.path("encryptionAlgorithm").asText());
    }

    @Test
    void aDuplicateNameIsTheDatabasesServerError() throws Exception {
        start(ServerProfile.INFISICAL_2024);
        ApiClient.Answer dup = create(obj().put("name", KmsEmulator.ENCRYPTION_KEY));
        assertEquals(500, dup.status());
        assertEquals(obj().put("statusCode", 500).put("message", "Something went wrong").put("error", "Create"), dup.body());
    }

    @Test
    void anUnknownProjectIsForbiddenNotMissing() throws Exception {
        start(ServerProfile.INFISICAL_2024);
        ObjectNode forbidden = obj().put("statusCode", 403).put("message", "You are not allowed to access this resource")
                .put("error", "PermissionDenied");
        String project = UUID.randomUUID().toString();
        assertEquals(forbidden, api.post(KEYS, obj().put("projectId", project).put("name", "x")).body());
        ApiClient.Answer list = api.get(KEYS + "?projectId=" + project);
        assertEquals(403, list.status());
        assertEquals(forbidden, list.body());
    }

    @Test
    void currentServersSayAnUnknownProjectIsNotFound() throws Exception {
        start(ServerProfile.CURRENT);
        ApiClient.Answer list = api.get(KEYS + "?projectId=" + UUID.randomUUID());
        assertEquals(404, list.status());
        assertEquals("NotFound", list.text("error"));
    }

    @Test
    void renewalPastTheMaxTtlIsRefusedWithTheServersTextAndTheTokenLives() throws Exception {
        start(KmsEmulator.builder().profile(ServerProfile.INFISICAL_2024).seedKeys(false)
                .tokenLifetimes(Duration.ofMinutes(10), Duration.ofMinutes(30)));
        String token = api.token();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            kms.advanceTime(Duration.ofMinutes(9));
            statuses.add(renew(token).status());
        }
        assertEquals(List.of(200, 200), statuses, "renewed at 9 and 18 minutes: up to 28, within the 30");
        kms.advanceTime(Duration.ofMinutes(9));
        ApiClient.Answer refused = renew(token);
        assertEquals(obj().put("statusCode", 401).put("message", "Failed to renew MI access token past its Max TTL"
                + " expiration").put("error", "UnauthorizedError"), refused.body(), "at 27 minutes 10 more pass the 30");
        assertEquals(200, api.get(KEYS + "?projectId=" + kms.projectId()).status(), "the 2024 server keeps the token");
    }

    @Test
    void renewingAnExpiredTokenSaysSo() throws Exception {
        start(KmsEmulator.builder().profile(ServerProfile.INFISICAL_2024).seedKeys(false)
                .tokenLifetimes(Duration.ofMinutes(10), Duration.ofMinutes(30)));
        kms.advanceTime(Duration.ofMinutes(11));
        ApiClient.Answer expired = renew(api.token());
        assertEquals(obj().put("statusCode", 401).put("message", "Failed to renew MI access token due to TTL expiration")
                .put("error", "UnauthorizedError"), expired.body());
    }

    private ApiClient.Answer renew(String token) throws Exception {
        return api.post("/api/v1/auth/token/renew", obj().put("accessToken", token));
    }

    private static TreeSet<String> fields(JsonNode n) {
        TreeSet<String> names = new TreeSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
