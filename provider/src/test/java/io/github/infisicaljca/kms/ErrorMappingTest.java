package io.github.infisicaljca.kms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.infisicaljca.kms.WireFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.infisicaljca.Secret;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the reference's error table becomes a KmsApiException with the server's status,
 * error, message and reqId, the right predicates, and a message naming the operation, the key,
 * the status, the error and the reqId. No retries here (maxRetries 0), so each row is one exchange.
 * Secrets the server echoes back (token, client secret) appear only as ***MASKED***.
 */
class ErrorMappingTest {
    @RegisterExtension
    static WireMockExtension wm = newServer();

    static final String REQ_ID = "req-abc123";
    static final String ENCRYPT = KMS + "/" + TestSupport.KEY_ID + "/encrypt";
    static final String LOGIN = "/api/v1/auth/universal-auth/login";

    enum P { AUTHENTICATION, VALIDATION, PERMISSION, NOT_FOUND, ROUTE_NOT_FOUND, SERVER_ERROR }

    /**
     * One row: the answer's status, error and message (a JSON string or array), the Retry-After
     * header, and what the exception must say.
     */
    record Row(String name, String path, int status, String error, String messageJson, String retryAfterHeader,
            String serverMessage, List<String> issues, Set<P> predicates, Duration retryAfter, boolean reqId) {
        Row withReqId() {
            return new Row(name + " +reqId", path, status, error, messageJson, retryAfterHeader, serverMessage, issues,
                    predicates, retryAfter, true);
        }

        String body() {
            if (error != null && error.equals("Not Found")) { // the framework's own body: field order and no reqId
                return "{\"message\":" + messageJson + ",\"error\":\"Not Found\",\"statusCode\":404}";
            }
            return "{\"statusCode\":" + status + ",\"message\":" + messageJson + ",\"error\":\"" + error + "\""
                    + (reqId ? ",\"reqId\":\"" + REQ_ID + "\"" : "") + "}";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, int status, String error, String message, Set<P> predicates) {
        return new Row(name, ENCRYPT, status, error, "\"" + message + "\"", null, message, List.of(), predicates, null,
                false);
    }

    private static Set<P> is(P... ps) {
        return ps.length == 0 ? EnumSet.noneOf(P.class) : EnumSet.copyOf(List.of(ps));
    }

    static Stream<Row> rows() {
        String issuesJson = "[{\"code\":\"custom\",\"message\":\"plaintext must be base64 encoded\",\"path\":[\"plaintext\"]},"
                + "{\"code\":\"too_big\",\"message\":\"data cannot exceed 4096 bytes\",\"path\":[]}]";
        List<String> issues = List.of("plaintext: plaintext must be base64 encoded", "data cannot exceed 4096 bytes");
        String joined = String.join("; ", issues);
        Stream<Row> withAndWithoutReqId = Stream.of(
                row("400 key disabled", 400, "BadRequest", "Key is disabled", is()),
                row("400 wrong algorithm", 400, "BadRequest",
                        "KMS RSA_4096 key cannot be used with ECDSA_SHA_256 signing algorithm", is()),
                row("400 PSS digest", 400, "BadRequest", "RSA PSS does not support digested input", is()),
                row("401 token missing", 401, "UnauthorizedError", "Token missing", is(P.AUTHENTICATION)),
                new Row("401 validation (2024)", ENCRYPT, 401, "ValidationFailure", issuesJson, null, joined, issues,
                        is(P.VALIDATION), null, false),
                new Row("422 validation (newer)", ENCRYPT, 422, "ValidationFailure", issuesJson, null, joined, issues,
                        is(P.VALIDATION), null, false),
                row("403 token error", 403, "TokenError", "Failed to authenticate token", is(P.AUTHENTICATION)),
                row("403 permission denied", 403, "PermissionDenied", "You are not allowed to encrypt on this key",
                        is(P.PERMISSION)),
                row("403 forbidden", 403, "ForbiddenError", "You are not allowed to access this project",
                        is(P.PERMISSION)),
                row("404 key not found", 404, "NotFound", "Key not found", is(P.NOT_FOUND)),
                new Row("404 login unknown identity", LOGIN, 404, "NotFound",
                        "\"No identity with specified client ID was found\"", null,
                        "No identity with specified client ID was found", List.of(), is(P.NOT_FOUND), null, false),
                new Row("503 Retry-After (maintenance, no rate-limit headers)", ENCRYPT, 503, "ServiceUnavailable",
                        "\"maintenance\"", "7", "maintenance", List.of(), is(P.SERVER_ERROR), Duration.ofSeconds(7), false),
                row("500 internal", 500, "InternalServerError", "Something went wrong", is(P.SERVER_ERROR)));
        String route = "Route POST:/api/v1/kms/keys/" + TestSupport.KEY_ID + "/encrypt not found";
        Row routeNotFound = new Row("404 unknown route", ENCRYPT, 404, "Not Found", "\"" + route + "\"", null, route,
                List.of(), is(P.ROUTE_NOT_FOUND), null, false);
        return Stream.concat(withAndWithoutReqId.flatMap(r -> Stream.of(r, r.withReqId())), Stream.of(routeNotFound));
    }

    private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();
    private KmsClient client;

    @BeforeEach
    void setUp() {
        client = KmsClient.create(TestSupport.config(wm.baseUrl()).maxRetries(0).accessToken(TestSupport.TOKEN).build(),
                sleeper, System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rows")
    void everyRowOfTheErrorTableMapsToItsException(Row row) {
        var response = json(row.status(), row.body());
        if (row.retryAfterHeader() != null) {
            response = response.withHeader("Retry-After", row.retryAfterHeader());
        }
        wm.stubFor(any(urlEqualTo(row.path())).willReturn(response));
        boolean login = row.path().equals(LOGIN);

        KmsApiException e = assertThrows(KmsApiException.class, () -> {
            if (login) {
                client.login(TestSupport.CLIENT_ID, Secret.of(TestSupport.CLIENT_SECRET));
            } else {
                client.encrypt(TestSupport.KEY_ID, DATA);
            }
        });

        assertEquals(KmsException.Kind.API, e.kind());
        assertEquals(row.status(), e.status());
        assertEquals(row.error(), e.error());
        assertEquals(row.serverMessage(), e.serverMessage());
        assertEquals(row.issues(), e.validationIssues());
        assertEquals(row.reqId() ? Optional.of(REQ_ID) : Optional.empty(), e.reqId());
        assertEquals(Optional.ofNullable(row.retryAfter()), e.retryAfter());
        assertEquals(row.predicates().contains(P.AUTHENTICATION), e.isAuthenticationFailure(), "isAuthenticationFailure");
        assertEquals(row.predicates().contains(P.VALIDATION), e.isValidationFailure(), "isValidationFailure");
        assertEquals(row.predicates().contains(P.PERMISSION), e.isPermissionDenied(), "isPermissionDenied");
        assertEquals(row.predicates().contains(P.NOT_FOUND), e.isNotFound(), "isNotFound");
        assertEquals(row.predicates().contains(P.ROUTE_NOT_FOUND), e.isRouteNotFound(), "isRouteNotFound");
        assertFalse(e.isRateLimited(), "a rate limit's refusal is a RateLimitedException (RateLimitAnswersTest)");
        assertEquals(row.predicates().contains(P.SERVER_ERROR), e.isServerError(), "isServerError");
        assertFalse(e.isTransient());

        String m = e.getMessage();
        assertEquals(login ? "login" : "encrypt", e.operation());
        assertTrue(m.contains(login ? "login" : "encrypt"), m);
        if (login) {
            assertNull(e.keyId());
        } else {
            assertEquals(TestSupport.KEY_ID, e.keyId());
            assertTrue(m.contains(TestSupport.KEY_ID), m);
        }
        assertTrue(m.contains("HTTP " + row.status()), m);
        assertTrue(m.contains(row.error()), m);
        assertTrue(m.contains(row.serverMessage()), m);
        assertEquals(row.reqId(), m.contains(REQ_ID), m);
        assertFalse(m.contains(TestSupport.TOKEN) || m.contains(TestSupport.CLIENT_SECRET), m);

        assertEquals(1, wm.getAllServeEvents().size(), "maxRetries 0, and a static token cannot log in again");
        assertEquals(List.of(), sleeper.waits);
    }

    @Test
    void aProxyHtmlPageBecomesTheStatusWithAShortCleanExcerpt() {
        String html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
                + "</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n" + "<!-- padding -->\n".repeat(200)
                + "</body>\r\n</html>\r\n";
        wm.stubFor(any(urlEqualTo(ENCRYPT)).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody(html)));

        KmsApiException e = assertThrows(KmsApiException.class, () -> client.encrypt(TestSupport.KEY_ID, DATA));

        assertEquals(502, e.status());
        assertNull(e.error());
        assertEquals(Optional.empty(), e.reqId());
        assertTrue(e.isServerError());
        assertFalse(e.isAuthenticationFailure() || e.isNotFound() || e.isRouteNotFound() || e.isRateLimited());
        String excerpt = e.serverMessage();
        assertTrue(excerpt.contains("502 Bad Gateway"), excerpt);
        assertTrue(excerpt.length() <= 250, "short: " + excerpt.length() + " chars");
        assertFalse(excerpt.contains("\n") || excerpt.contains("\r"), "no control characters: " + excerpt);
        assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, e.getMessage());
        assertEquals(1, wm.getAllServeEvents().size());
    }

    @Test
    void aHugeServerMessageIsCutSayingSo() {
        String huge = "x".repeat(1 << 20);
        wm.stubFor(any(urlEqualTo(ENCRYPT)).willReturn(json(400, "{\"statusCode\":400,\"error\":\"BadRequest\","
                + "\"message\":\"" + huge + "\"}")));

        KmsApiException e = assertThrows(KmsApiException.class, () -> client.encrypt(TestSupport.KEY_ID, DATA));

        assertTrue(e.getMessage().length() < 3000, "message length " + e.getMessage().length());
        assertTrue(e.serverMessage().endsWith("(" + huge.length() + " characters in all)"), e.serverMessage());
    }

    @Test
    void anEmptyErrorBodyStillGivesTheStatus() {
        wm.stubFor(any(urlEqualTo(ENCRYPT)).willReturn(aResponse().withStatus(503)));

        KmsApiException e = assertThrows(KmsApiException.class, () -> client.encrypt(TestSupport.KEY_ID, DATA));

        assertEquals(503, e.status());
        assertNull(e.error());
        assertTrue(e.isServerError());
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    }

    // ---- secrets echoed by the server are masked ---------------------------------------------

    private static void assertMasked(KmsException e, String... secrets) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertFalse(String.valueOf(t.getMessage()).contains(secret), "leaks a secret: " + t.getMessage());
                assertFalse(t.toString().contains(secret), "leaks a secret: " + t);
            }
        }
        if (e instanceof KmsApiException) {
            KmsApiException api = (KmsApiException) e;
            for (String secret : secrets) {
                assertFalse(String.valueOf(api.serverMessage()).contains(secret), api.serverMessage());
                api.validationIssues().forEach(i -> assertFalse(i.contains(secret), i));
            }
            assertTrue(api.serverMessage().contains(Secret.MASK), "masked: " + api.serverMessage());
            assertTrue(e.getMessage().contains(Secret.MASK), "masked: " + e.getMessage());
        }
    }

    @Test
    void aStaticTokenEchoedInAMessageOrAnIssueIsMasked() {
        wm.stubFor(any(urlEqualTo(ENCRYPT)).willReturn(json(401, "{\"statusCode\":401,\"error\":\"ValidationFailure\","
                + "\"message\":[{\"message\":\"bad header Bearer " + TestSupport.TOKEN + "\",\"path\":[\"auth\"]}]}")));

        KmsApiException e = assertThrows(KmsApiException.class, () -> client.encrypt(TestSupport.KEY_ID, DATA));

        assertMasked(e, TestSupport.TOKEN);
        assertEquals(List.of("auth: bad header Bearer " + Secret.MASK), e.validationIssues());
    }

    @Test
    void aStaticTokenEchoedInANonJsonPageIsMasked() {
        wm.stubFor(any(urlEqualTo(ENCRYPT)).willReturn(aResponse().withStatus(502)
                .withBody("<html>upstream rejected Authorization: Bearer " + TestSupport.TOKEN + "</html>")));

        KmsApiException e = assertThrows(KmsApiException.class, () -> client.encrypt(TestSupport.KEY_ID, DATA));

        assertMasked(e, TestSupport.TOKEN);
    }

    private static final String UA_TOKEN = "ua-access-token-9f8e7d6c5b4a";

    private KmsClient universalAuthClient() {
        return KmsClient.create(TestSupport.config(wm.baseUrl()).maxRetries(0).clientId(TestSupport.CLIENT_ID)
                .clientSecret(TestSupport.CLIENT_SECRET).build(), sleeper, new TestSupport.ManualClock()::nanos);
    }

    @Test
    void theUniversalAuthTokenAndClientSecretEchoedByAKmsCallAreMasked() {
        wm.stubFor(any(urlEqualTo(LOGIN)).willReturn(ok("{\"accessToken\":\"" + UA_TOKEN + "\",\"expiresIn\":3600,"
                + "\"accessTokenMaxTTL\":86400,\"tokenType\":\"Bearer\"}")));
        wm.stubFor(any(urlEqualTo(ENCRYPT)).willReturn(json(403, "{\"statusCode\":403,\"error\":\"PermissionDenied\","
                + "\"message\":\"identity " + TestSupport.CLIENT_SECRET + " with token " + UA_TOKEN + " is denied\","
                + "\"reqId\":\"" + REQ_ID + "\"}")));

        try (KmsClient ua = universalAuthClient()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> ua.encrypt(TestSupport.KEY_ID, DATA));

            assertMasked(e, UA_TOKEN, TestSupport.CLIENT_SECRET);
            assertEquals("identity " + Secret.MASK + " with token " + Secret.MASK + " is denied", e.serverMessage());
            assertTrue(e.isPermissionDenied());
        }
        assertEquals(2, wm.getAllServeEvents().size(), "one login, one encrypt: a 403 PermissionDenied is final");
    }

    @Test
    void aLoginRefusalEchoingTheClientSecretIsMasked() {
        wm.stubFor(any(urlEqualTo(LOGIN)).willReturn(json(401, "{\"statusCode\":401,\"error\":\"UnauthorizedError\","
                + "\"message\":\"Invalid credentials for secret " + TestSupport.CLIENT_SECRET + "\"}")));

        try (KmsClient ua = universalAuthClient()) {
            KmsApiException e = assertThrows(KmsApiException.class, () -> ua.encrypt(TestSupport.KEY_ID, DATA));

            assertEquals("login", e.operation());
            assertMasked(e, TestSupport.CLIENT_SECRET);
        }
        KmsApiException direct = assertThrows(KmsApiException.class,
                () -> client.login(TestSupport.CLIENT_ID, Secret.of(TestSupport.CLIENT_SECRET)));
        assertMasked(direct, TestSupport.CLIENT_SECRET);
    }

    @Test
    void aRenewalRefusalEchoingTheTokenIsMasked() {
        wm.stubFor(any(urlEqualTo("/api/v1/auth/token/renew")).willReturn(json(403, "{\"statusCode\":403,"
                + "\"error\":\"TokenError\",\"message\":\"token " + UA_TOKEN + " is past its max TTL\"}")));

        KmsApiException e = assertThrows(KmsApiException.class, () -> client.renewToken(Secret.of(UA_TOKEN)));

        assertTrue(e.isAuthenticationFailure());
        assertMasked(e, UA_TOKEN);
    }
}
