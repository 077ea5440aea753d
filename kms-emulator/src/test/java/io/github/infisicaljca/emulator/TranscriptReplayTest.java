package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the real 2024 server's transcripts against the emulator in its 2024 profile, in file
 * order, and requires the same status, the same error fields, and at least the same answer fields.
 */
class TranscriptReplayTest {
    private static final String DIR = "/infisical-transcripts-2024-10/";
    private static final List<String> FILES = List.of("08-universal-auth-login.json", "10-kms-create-key-aes256.json",
            "20-kms-encrypt.json", "21-kms-decrypt.json", "22-kms-list-keys.json", "24-kms-disable-key.json",
            "25-kms-encrypt-with-disabled-key.json", "27-kms-decrypt-tampered.json", "28-kms-encrypt-not-base64.json",
            "29-kms-encrypt-no-auth.json", "30-kms-encrypt-unknown-key.json");
    private static final String RECORDED_PROJECT = "7f09fbf4-97e7-41f5-942d-519848f7217a";
    private static final String RECORDED_AES_256 = "4b535158-4ce3-439c-b2a5-b1bacfaf616c";
    private static final String RECORDED_AES_128 = "4d677f3a-5d0d-41d9-aa93-3913f70a49f3";

    private static KmsEmulator kms;
    private static ApiClient api;
    /** Recorded values -> the emulator's own, applied to every replayed request. */
    private static final Map<String, String> substitutions = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        kms = KmsEmulator.builder().seedKeys(false).profile(ServerProfile.INFISICAL_2024).start();
        api = new ApiClient(kms).login(kms);
        substitutions.put(RECORDED_PROJECT, kms.projectId());
        substitutions.put("c6d42f6d-9eb8-4c74-bdd6-398adfc9181a", kms.clientId());
        substitutions.put("<client-secret>", kms.clientSecret());
        ApiClient.Answer aes128 = api.post("/api/v1/kms/keys", obj().put("projectId", kms.projectId())
                .put("name", "test-aes-128").put("encryptionAlgorithm", "aes-128-gcm"));
        substitutions.put(RECORDED_AES_128, aes128.body().path("key").path("id").asText());
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    @TestFactory
    Stream<DynamicTest> replayInOrder() {
        return FILES.stream().map(f -> DynamicTest.dynamicTest(f, () -> replay(f)));
    }

    private static void replay(String file) throws Exception {
        JsonNode t;
        try (InputStream in = TranscriptReplayTest.class.getResourceAsStream(DIR + file)) {
            t = ApiClient.JSON.readTree(in);
        }
        JsonNode req = t.path("request");
        JsonNode expected = t.path("response");
        String path = substitute(req.path("path").asText());
        JsonNode body = req.path("body").isNull() ? null : ApiClient.JSON.readTree(substitute(req.path("body").toString()));
        if (file.startsWith("21-")) {
            // The recorded ciphertext belongs to the recorded key: decrypt one the emulator made of the same plaintext.
            String plaintext = expected.path("body").path("plaintext").asText();
            String ct = api.op(substitutions.get(RECORDED_AES_256), "encrypt", obj().put("plaintext", plaintext)).text("ciphertext");
            body = obj().put("ciphertext", ct);
        }
        ApiClient client = req.path("bearerAuth").asBoolean() ? api : new ApiClient(kms);
        ApiClient.Answer actual = client.send(req.path("method").asText(), path, body);

        assertEquals(expected.path("status").asInt(), actual.status(), file + ": " + actual.body());
        JsonNode want = expected.path("body");
        if (actual.status() >= 400) {
            assertEquals(want, actual.body(), file + ": the error body is the server's, field for field");
            return;
        }
        assertFieldsCovered(file, want, actual.body());
        if (file.startsWith("10-")) {
            substitutions.put(RECORDED_AES_256, actual.body().path("key").path("id").asText());
        }
        if (file.startsWith("21-")) {
            assertEquals(want.path("plaintext"), actual.body().path("plaintext"));
        }
        if (file.startsWith("22-")) {
            assertEquals(want.path("totalCount"), actual.body().path("totalCount"));
        }
        if (file.startsWith("24-")) {
            assertEquals(want.path("key").path("isDisabled"), actual.body().path("key").path("isDisabled"));
        }
    }

    /** Every field the real answer has, the emulator's has too, recursively through objects and first array items. */
    private static void assertFieldsCovered(String file, JsonNode want, JsonNode got) {
        if (want.isObject()) {
            TreeSet<String> missing = new TreeSet<>();
            for (Iterator<String> it = want.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!got.has(name)) {
                    missing.add(name);
                } else {
                    assertFieldsCovered(file, want.get(name), got.get(name));
                }
            }
            assertTrue(missing.isEmpty(), file + ": the emulator's answer lacks " + missing + " in " + got);
        } else if (want.isArray() && want.size() > 0) {
            assertTrue(got.isArray() && got.size() > 0, file + ": expected a non-empty array");
            assertFieldsCovered(file, want.get(0), got.get(0));
        }
    }

    private static String substitute(String text) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(substitutions.entrySet());
        for (Map.Entry<String, String> e : entries) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }
}
