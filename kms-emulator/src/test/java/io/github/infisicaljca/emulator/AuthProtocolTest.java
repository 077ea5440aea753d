package io.github.infisicaljca.emulator;

import static io.github.infisicaljca.emulator.ApiClient.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Universal Auth and the bearer check, with the statuses the API reference lists. */
class AuthProtocolTest {
    private KmsEmulator kms;
    private ApiClient api;

    @BeforeEach
    void start() {
        kms = KmsEmulator.builder().seedKeys(false).tokenLifetimes(Duration.ofMinutes(10), Duration.ofMinutes(30)).start();
        api = new ApiClient(kms);
    }

    @AfterEach
    void stop() {
        kms.close();
    }

    private String listPath() {
        return "/api/v1/kms/keys?projectId=" + kms.projectId();
    }

    @Test
    void loginAnswersTheServersShape() throws Exception {
        ApiClient.Answer a = api.post("/api/v1/auth/universal-auth/login",
                obj().put("clientId", kms.clientId()).put("clientSecret", kms.clientSecret()));
        assertEquals(200, a.status());
        assertNotNull(a.text("accessToken"));
        assertEquals(600, a.body().path("expiresIn").asLong());
        assertEquals(1800, a.body().path("accessTokenMaxTTL").asLong());
        assertEquals("Bearer", a.text("tokenType"));
        assertEquals(200, api.token(a.text("accessToken")).get(listPath()).status());
    }

    @Test
    void loginFailuresAreDistinguished() throws Exception {
        ApiClient.Answer unknown = api.post("/api/v1/auth/universal-auth/login",
                obj().put("clientId", "no-such-client").put("clientSecret", "x"));
        assertEquals(404, unknown.status());
        assertEquals("No identity with specified client ID was found", unknown.text("message"));
        ApiClient.Answer wrong = api.post("/api/v1/auth/universal-auth/login",
                obj().put("clientId", kms.clientId()).put("clientSecret", "wrong"));
        assertEquals(401, wrong.status());
        assertEquals("UnauthorizedError", wrong.text("error"));
        assertFalse(wrong.body().toString().contains(kms.clientSecret()));
        ApiClient.Answer missing = api.post("/api/v1/auth/universal-auth/login", obj().put("clientId", kms.clientId()));
        assertEquals(422, missing.status());
        assertEquals("clientSecret", missing.body().path("message").path(0).path("path").path(0).asText());
    }

    @Test
    void bearerCheckFollowsTheErrorTable() throws Exception {
        ApiClient.Answer none = api.get(listPath());
        assertEquals(401, none.status());
        assertEquals("UnauthorizedError", none.text("error"));
        assertEquals("Token missing", none.text("message"));

        ApiClient.Answer malformed = api.token("garbage").get(listPath());
        assertEquals(403, malformed.status());
        assertEquals("TokenError", malformed.text("error"));
        assertTrue(malformed.text("message").startsWith("The provided access token is malformed"));
    }

    @Test
    void theRouteIsResolvedBeforeTheBearerCheck() throws Exception {
        String key = "/api/v1/kms/keys/00000000-0000-0000-0000-000000000000";
        ApiClient.Answer missingRoute = api.post(key + "/rotate", obj());
        assertEquals(404, missingRoute.status(), "no such route: 404 whatever the token");
        assertEquals("Route POST:" + key + "/rotate not found", missingRoute.text("message"));
        assertEquals("Not Found", missingRoute.text("error"));
        assertEquals(404, api.get("/api/v1/kms/nothing-here").status());
        ApiClient.Answer existing = api.post(key + "/encrypt", obj().put("plaintext", "not base64!"));
        assertEquals(401, existing.status(), "an existing route checks the token first");
        assertEquals("Token missing", existing.text("message"));
    }

    @Test
    void aRequestWithoutATokenIsRefusedBeforeItsBodyIsRead() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(kms.url().resolve("/api/v1/kms/keys"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
    }

    @Test
    void tokensExpireAfterTheirTtlAndRenewalExtendsThemUpToTheMaxTtl() throws Exception {
        api.login(kms);
        String token = api.token();
        kms.advanceTime(Duration.ofMinutes(9));
        ApiClient.Answer renewed = api.post("/api/v1/auth/token/renew", obj().put("accessToken", token));
        assertEquals(200, renewed.status(), renewed.body().toString());
        assertEquals(600, renewed.body().path("expiresIn").asLong());
        kms.advanceTime(Duration.ofMinutes(9));
        assertEquals(200, api.get(listPath()).status(), "renewed at 9 min, still valid at 18 min");

        kms.advanceTime(Duration.ofMinutes(2));
        ApiClient.Answer expired = api.get(listPath());
        assertEquals(401, expired.status(), "past the TTL: 401, log in again or renew earlier");
        assertEquals("UnauthorizedError", expired.text("error"));
    }

    @Test
    void renewalStopsAtTheMaxTtlAndThenOnlyALoginHelps() throws Exception {
        ApiClient idle = new ApiClient(kms).login(kms);
        api.login(kms);
        String token = api.token();
        for (int i = 0; i < 2; i++) {
            kms.advanceTime(Duration.ofMinutes(9));
            assertEquals(200, api.post("/api/v1/auth/token/renew", obj().put("accessToken", token)).status());
        }
        kms.advanceTime(Duration.ofMinutes(9)); // 27 min: renewal would pass the 30 min max TTL
        ApiClient.Answer capped = api.post("/api/v1/auth/token/renew", obj().put("accessToken", token));
        assertEquals(200, capped.status());
        long left = capped.body().path("expiresIn").asLong();
        // 3 minutes remain to the max TTL, less the real milliseconds this test has taken.
        assertTrue(left == 179 || left == 180, "the renewal is capped at the max TTL, got " + left);
        kms.advanceTime(Duration.ofMinutes(2));
        ApiClient.Answer refused = api.post("/api/v1/auth/token/renew", obj().put("accessToken", token));
        assertEquals(400, refused.status());
        assertEquals("Failed to renew access token due to max TTL expiration", refused.text("message"));
        ApiClient.Answer revoked = api.get(listPath());
        assertEquals(401, revoked.status(), "newer servers delete a token they refuse to renew");
        kms.advanceTime(Duration.ofMinutes(2));
        ApiClient.Answer past = idle.get(listPath());
        assertEquals(403, past.status(), "past the max TTL: TokenError");
        assertEquals("TokenError", past.text("error"));
        api.login(kms);
        assertEquals(200, api.get(listPath()).status());
    }

    @Test
    void revokedTokensAreRefused() throws Exception {
        api.login(kms);
        assertEquals(200, api.post("/api/v1/auth/token/revoke", obj().put("accessToken", api.token())).status());
        ApiClient.Answer after = api.get(listPath());
        assertEquals(401, after.status());
        assertEquals("UnauthorizedError", after.text("error"));
    }

    @Test
    void issuedTokensWorkWithoutLogin() throws Exception {
        assertEquals(200, api.token(kms.issueToken()).get(listPath()).status());
    }
}
