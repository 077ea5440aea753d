package io.github.infisicaljca.kms;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads Infisical's error bodies: {@code {statusCode, message, error, reqId?}}, where
 * {@code message} is a string or an array of validation issues. Anything else (a proxy's HTML
 * page, an empty body) still yields an exception with the status and a short, clean excerpt.
 * A rate limiter's refusal becomes a {@link RateLimitedException}, whatever its status.
 */
final class ErrorResponses {
    private static final int EXCERPT = 200;

    private ErrorResponses() {
    }

    /**
     * A {@link RateLimitedException} for a rate limiter's refusal (see
     * {@link RateLimitHeaders#isRefusal}), else a {@link KmsApiException}.
     *
     * @param redact masks secrets the server might echo back in its text
     */
    static KmsException toException(ApiCall call, HttpTransport.Response response, UnaryOperator<String> redact) {
        JsonNode body = Json.parseObject(response.body());
        String error = null;
        String message;
        List<String> issues = new ArrayList<>();
        // Every field that reaches the message is redacted: a server or proxy may echo what it got anywhere.
        String reqId = redact.apply(response.headers().firstValue("x-request-id").orElse(null));
        if (body != null) {
            error = redact.apply(textOrNull(body.get("error")));
            JsonNode m = body.get("message");
            if (m != null && m.isArray()) {
                for (JsonNode issue : m) {
                    issues.add(redact.apply(issueText(issue)));
                }
                message = String.join("; ", issues);
            } else {
                message = m == null || m.isNull() ? null : redact.apply(m.isTextual() ? m.textValue() : m.toString());
            }
            String bodyReqId = redact.apply(textOrNull(body.get("reqId")));
            reqId = bodyReqId != null ? bodyReqId : reqId;
        } else {
            message = excerpt(response.body(), redact);
        }
        message = capped(message);
        if (RateLimitHeaders.isRefusal(response.status(), response.headers())) {
            return RateLimitedException.refusedByServer(call, response.status(), error, reqId,
                    RateLimitHeaders.read(response.status(), response.headers(), message));
        }
        // A 503's Retry-After (RFC 9110, 10.2.3) says when the server expects to be back.
        return new KmsApiException(call.operation(), call.keyId(), response.status(), error, message, issues, reqId,
                response.status() == 503
                        ? RateLimitHeaders.retryAfter(response.headers().firstValue("retry-after").orElse(null)) : null);
    }

    /** A server message goes into exception messages and logs: a huge one is cut, saying so. */
    private static String capped(String message) {
        int max = 2000;
        return message == null || message.length() <= max ? message
                : message.substring(0, max) + "... (" + message.length() + " characters in all)";
    }

    private static String issueText(JsonNode issue) {
        if (!issue.isObject()) {
            return issue.isTextual() ? issue.textValue() : issue.toString();
        }
        String text = textOrNull(issue.get("message"));
        JsonNode path = issue.get("path");
        if (path != null && path.isArray() && path.size() > 0) {
            List<String> parts = new ArrayList<>();
            path.forEach(p -> parts.add(p.asText()));
            return String.join(".", parts) + ": " + text;
        }
        return text == null ? issue.toString() : text;
    }

    private static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static String excerpt(byte[] body, UnaryOperator<String> redact) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        // Redact the whole text before cutting it: a secret straddling the cut would otherwise escape,
        // partly, from the mask.
        String text = redact.apply(new String(body, StandardCharsets.UTF_8)).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        if (text.length() > EXCERPT) {
            text = text.substring(0, EXCERPT) + "...";
        }
        return "non-JSON body: " + text;
    }
}
