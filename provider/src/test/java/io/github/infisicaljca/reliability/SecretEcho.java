package io.github.infisicaljca.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.infisicaljca.reliability.FakeInfisical.CLIENT_SECRET;
import static io.github.infisicaljca.reliability.FakeInfisical.LOGIN;
import static io.github.infisicaljca.reliability.FakeInfisical.TOKEN_1;
import static io.github.infisicaljca.reliability.FakeInfisical.TOKEN_2;
import static io.github.infisicaljca.reliability.FakeInfisical.b64;
import static io.github.infisicaljca.reliability.FakeInfisical.error;
import static io.github.infisicaljca.reliability.FakeInfisical.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.infisicaljca.reliability.MatrixOps.Op;

/**
 * A server that repeats secrets back in its error answers, in every place an error answer has:
 * the message, validation issues and their paths, the {@code error} name, {@code reqId} in the
 * body or the {@code x-request-id} header, a proxy's HTML page (with the secret right where the
 * client cuts its excerpt), the token refused before a re-login, and the client secret at login.
 */
final class SecretEcho {
    private SecretEcho() {
    }

    enum Variant {
        MESSAGE, ISSUES_AND_ERROR_NAME, BODY_REQ_ID, HEADER_REQ_ID, HTML_TOKEN_AT_CUT, HTML_SECRET_AT_CUT,
        OLD_AND_NEW_TOKEN, LOGIN_ECHOES_CLIENT_SECRET
    }

    /** The login echo needs a provider that has not logged in yet: the listing's. */
    static boolean applies(Variant v, Op op) {
        return v != Variant.LOGIN_ECHOES_CLIENT_SECRET || op == Op.LIST;
    }

    static void inject(FakeInfisical server, Variant v, Op op) {
        switch (v) {
            case MESSAGE:
                server.inject(op.method, op.path, error(400, "BadRequest", "request with Authorization: Bearer " + TOKEN_1
                        + " for client secret " + CLIENT_SECRET + sent(op) + " refused"), false);
                break;
            case ISSUES_AND_ERROR_NAME:
                server.inject(op.method, op.path, json(400, "{\"statusCode\":400,\"message\":[{\"code\":\"custom\","
                        + "\"message\":\"token " + TOKEN_1 + " is not allowed\",\"path\":[\"Bearer " + TOKEN_1 + "\"]},"
                        + "{\"message\":\"" + CLIENT_SECRET + "\",\"path\":[\"" + CLIENT_SECRET + "\"]}],"
                        + "\"error\":\"Bearer " + TOKEN_1 + "\"}"), false);
                break;
            case BODY_REQ_ID:
                server.inject(op.method, op.path, json(400, "{\"statusCode\":400,\"message\":\"Bad request\","
                        + "\"error\":\"BadRequest\",\"reqId\":\"req-" + TOKEN_1 + "\"}"), false);
                break;
            case HEADER_REQ_ID:
                server.inject(op.method, op.path, error(400, "BadRequest", "Bad request").withHeader("x-request-id",
                        TOKEN_1 + "/" + CLIENT_SECRET), false);
                break;
            case HTML_TOKEN_AT_CUT:
                server.inject(op.method, op.path, htmlAtCut(TOKEN_1), false);
                break;
            case HTML_SECRET_AT_CUT:
                server.inject(op.method, op.path, htmlAtCut(CLIENT_SECRET), false);
                break;
            case OLD_AND_NEW_TOKEN:
                // First a 401 (a new login follows, giving TOKEN_2), then a 400 naming both tokens.
                server.server().stubFor((op.method.equals("GET")
                        ? com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(op.path))
                        : post(urlPathEqualTo(op.path))).atPriority(2)
                        .willReturn(error(400, "BadRequest", "tokens " + TOKEN_1 + " and " + TOKEN_2 + " are both refused")));
                server.inject(op.method, op.path, error(401, "UnauthorizedError", "Token expired"), true);
                break;
            case LOGIN_ECHOES_CLIENT_SECRET:
                server.inject("POST", LOGIN, json(400, "{\"statusCode\":400,\"message\":"
                        + JsonNodeFactory.instance.textNode("clientSecret '" + CLIENT_SECRET + "' is invalid") + ","
                        + "\"error\":\"" + CLIENT_SECRET + "\",\"reqId\":\"" + CLIENT_SECRET + "\"}"), false);
                break;
            default:
                throw new IllegalArgumentException(v.name());
        }
    }

    /** What the call sent that is secret, echoed too (only encrypt and wrap send a plaintext). */
    private static String sent(Op op) {
        switch (op) {
            case ENCRYPT:
                return " with plaintext " + b64(FakeInfisical.PLAINTEXT);
            case WRAP:
                return " with plaintext " + b64(FakeInfisical.WRAPPED_KEY_BYTES);
            default:
                return "";
        }
    }

    /** A proxy page whose text puts the secret across the 200-character excerpt the client keeps. */
    private static ResponseDefinitionBuilder htmlAtCut(String secret) {
        String head = "<html><body><p>";
        String body = head + "x".repeat(180 - head.length()) + secret + "</p>" + "y".repeat(120) + "</body></html>";
        return aResponse().withStatus(400).withHeader("Content-Type", "text/html").withBody(body);
    }
}
