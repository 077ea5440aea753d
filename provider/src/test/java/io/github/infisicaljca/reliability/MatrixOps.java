package io.github.infisicaljca.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.infisicaljca.reliability.FakeInfisical.AES_ID;
import static io.github.infisicaljca.reliability.FakeInfisical.AES_NAME;
import static io.github.infisicaljca.reliability.FakeInfisical.CIPHERTEXT;
import static io.github.infisicaljca.reliability.FakeInfisical.KEYS;
import static io.github.infisicaljca.reliability.FakeInfisical.MESSAGE;
import static io.github.infisicaljca.reliability.FakeInfisical.OTHER_KEY_ID;
import static io.github.infisicaljca.reliability.FakeInfisical.OTHER_PROJECT_ID;
import static io.github.infisicaljca.reliability.FakeInfisical.PLAINTEXT;
import static io.github.infisicaljca.reliability.FakeInfisical.PROJECT_ID;
import static io.github.infisicaljca.reliability.FakeInfisical.RSA_ID;
import static io.github.infisicaljca.reliability.FakeInfisical.RSA_NAME;
import static io.github.infisicaljca.reliability.FakeInfisical.SIGNATURE;
import static io.github.infisicaljca.reliability.FakeInfisical.WRAPPED;
import static io.github.infisicaljca.reliability.FakeInfisical.WRAPPED_KEY_BYTES;
import static io.github.infisicaljca.reliability.FakeInfisical.b64;
import static io.github.infisicaljca.reliability.FakeInfisical.error;
import static io.github.infisicaljca.reliability.FakeInfisical.json;
import static io.github.infisicaljca.reliability.FakeInfisical.path;
import static io.github.infisicaljca.reliability.FakeInfisical.truncatedB64;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import java.io.IOException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Signature;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.SecretKeySpec;

/** The operations of the matrix, driven through the JCA API, and the faults injected on their endpoints. */
final class MatrixOps {
    private MatrixOps() {
    }

    /** A column: one JCA operation, the endpoint it calls, and what its method declares. */
    enum Op {
        SIGN("sign", "POST", path(RSA_ID, "sign"), SignatureException.class),
        VERIFY("verify (remote)", "POST", path(RSA_ID, "verify"), SignatureException.class),
        ENCRYPT("encrypt", "POST", path(AES_ID, "encrypt"), IllegalBlockSizeException.class),
        DECRYPT("decrypt", "POST", path(AES_ID, "decrypt"), IllegalBlockSizeException.class),
        WRAP("wrap", "POST", path(AES_ID, "encrypt"), IllegalBlockSizeException.class),
        LIST("key listing", "GET", KEYS, IOException.class);

        final String label;
        final String method;
        final String path;
        final Class<? extends Exception> declared;

        Op(String label, String method, String path, Class<? extends Exception> declared) {
            this.label = label;
            this.method = method;
            this.path = path;
            this.declared = declared;
        }

        /** The healthy 200 body of this endpoint. */
        String okBody() {
            switch (this) {
                case SIGN:
                    return FakeInfisical.signBody(RSA_ID, b64(SIGNATURE));
                case VERIFY:
                    return FakeInfisical.verifyBody(RSA_ID, true);
                case ENCRYPT:
                    return "{\"ciphertext\":\"" + b64(CIPHERTEXT) + "\"}";
                case DECRYPT:
                    return "{\"plaintext\":\"" + b64(PLAINTEXT) + "\"}";
                case WRAP:
                    return "{\"ciphertext\":\"" + b64(WRAPPED) + "\"}";
                default:
                    return FakeInfisical.listBody(PROJECT_ID);
            }
        }

        /** The 200 body with its binary value's base64 cut short, or null when the answer has none. */
        String truncatedBase64Body() {
            switch (this) {
                case SIGN:
                    return FakeInfisical.signBody(RSA_ID, truncatedB64(SIGNATURE));
                case ENCRYPT:
                    return "{\"ciphertext\":\"" + truncatedB64(CIPHERTEXT) + "\"}";
                case DECRYPT:
                    return "{\"plaintext\":\"" + truncatedB64(PLAINTEXT) + "\"}";
                case WRAP:
                    return "{\"ciphertext\":\"" + truncatedB64(WRAPPED) + "\"}";
                default:
                    return null;
            }
        }

        /** The right answer, but naming another key (for the listing: keys of another project). */
        String anotherKeyBody() {
            switch (this) {
                case SIGN:
                    return FakeInfisical.signBody(OTHER_KEY_ID, b64(SIGNATURE));
                case VERIFY:
                    return FakeInfisical.verifyBody(OTHER_KEY_ID, true);
                case LIST:
                    return FakeInfisical.listBody(OTHER_PROJECT_ID);
                default:
                    return okBody().replace("}", ",\"keyId\":\"" + OTHER_KEY_ID + "\"}");
            }
        }
    }

    /** A row: what the server does wrong. */
    enum Fault {
        RESET("connection reset"),
        REFUSED("connection refused"),
        READ_TIMEOUT("read timeout (6 s silence)"),
        SLOW_BODY("slow body (dribbled over 6 s)"),
        EMPTY_BODY("empty body (dropped connection)"),
        MALFORMED_JSON("malformed JSON"),
        TRUNCATED_BASE64("truncated base64"),
        ANOTHER_KEY("response for another keyId (listing: another project)"),
        RATE_LIMIT_HEADER("429 with Retry-After: 1"),
        RATE_LIMIT_TEXT("429 \"try again in 1 seconds\", no header"),
        HTTP_500("500 once"),
        HTTP_500_ALWAYS("500 every time"),
        HTTP_502("502 once (proxy HTML page)"),
        HTTP_503("503 once"),
        HTTP_504("504 once (proxy HTML page)"),
        UNAUTHORIZED_401("401 UnauthorizedError once (token expired)"),
        TOKEN_ERROR_403("403 TokenError once"),
        PERMISSION_403("403 PermissionDenied"),
        NOT_FOUND_404("404 NotFound"),
        BAD_REQUEST_400("400 BadRequest");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    /** Makes {@code server} misbehave on {@code op}'s endpoint as {@code fault} says (REFUSED is the caller's). */
    static void inject(FakeInfisical server, Fault fault, Op op) {
        ResponseDefinitionBuilder r;
        boolean once = true;
        switch (fault) {
            case RESET:
                r = aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER);
                break;
            case EMPTY_BODY:
                r = aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE);
                break;
            case READ_TIMEOUT:
                r = json(200, op.okBody()).withFixedDelay(6000);
                once = false;
                break;
            case SLOW_BODY:
                r = json(200, op.okBody()).withChunkedDribbleDelay(12, 6000);
                once = false;
                break;
            case MALFORMED_JSON:
                r = json(200, op.okBody().substring(0, op.okBody().length() - 1) + ",");
                once = false;
                break;
            case TRUNCATED_BASE64:
                r = json(200, op.truncatedBase64Body());
                once = false;
                break;
            case ANOTHER_KEY:
                r = json(200, op.anotherKeyBody());
                once = false;
                break;
            case RATE_LIMIT_HEADER:
                r = error(429, "RateLimitExceeded", "Rate limit exceeded").withHeader("Retry-After", "1");
                break;
            case RATE_LIMIT_TEXT:
                r = error(429, "RateLimitExceeded", "Rate limit exceeded. Please try again in 1 seconds");
                break;
            case HTTP_500:
            case HTTP_500_ALWAYS:
                r = error(500, "InternalServerError", "Something went wrong");
                once = fault == Fault.HTTP_500;
                break;
            case HTTP_502:
                r = html(502, "502 Bad Gateway");
                break;
            case HTTP_503:
                r = error(503, "ServiceUnavailable", "Service temporarily unavailable");
                break;
            case HTTP_504:
                r = html(504, "504 Gateway Time-out");
                break;
            case UNAUTHORIZED_401:
                r = error(401, "UnauthorizedError", "Token expired");
                break;
            case TOKEN_ERROR_403:
                r = error(403, "TokenError", "The provided access token is malformed. Please use a valid token or "
                        + "generate a new one and try again.");
                break;
            case PERMISSION_403:
                r = error(403, "PermissionDenied", "You are not allowed to use this key");
                once = false;
                break;
            case NOT_FOUND_404:
                r = error(404, "NotFound", "Key not found");
                once = false;
                break;
            case BAD_REQUEST_400:
                r = error(400, "BadRequest", "Key is disabled");
                once = false;
                break;
            default:
                throw new IllegalArgumentException(fault.name());
        }
        server.inject(op.method, op.path, r, once);
    }

    private static ResponseDefinitionBuilder html(int status, String title) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/html")
                .withBody("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                        + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }

    /** An operation made ready on a provider (KeyStore loaded, handle found, engine initialised). */
    static final class Prepared {
        final Callable<Object> action;
        final Predicate<Object> correct;
        final List<Object> objects = new ArrayList<>();

        Prepared(Callable<Object> action, Predicate<Object> correct, Object... objects) {
            this.action = action;
            this.correct = correct;
            this.objects.addAll(Arrays.asList(objects));
        }
    }

    /** Everything before the call under test: against the healthy server. */
    static Prepared prepare(Op op, InfisicalProvider provider) throws Exception {
        KeyStore ks = KeyStore.getInstance("INFISICAL", provider);
        if (op == Op.LIST) {
            return new Prepared(() -> {
                ks.load(null, null);
                return Collections.list(ks.aliases());
            }, v -> List.of(AES_NAME, RSA_NAME).equals(v), provider, ks);
        }
        ks.load(null, null);
        if (op == Op.SIGN || op == Op.VERIFY) {
            InfisicalPrivateKey key = (InfisicalPrivateKey) ks.getKey(RSA_NAME, null);
            Signature s = Signature.getInstance("SHA256withRSA", provider);
            if (op == Op.SIGN) {
                s.initSign(key);
                return new Prepared(() -> {
                    s.update(MESSAGE);
                    return s.sign();
                }, v -> Arrays.equals(SIGNATURE, (byte[]) v) && FakeInfisical.verifies(MESSAGE, (byte[]) v),
                        provider, key, key.publicKey(), s);
            }
            s.initVerify(key.publicKey());
            return new Prepared(() -> {
                s.update(MESSAGE);
                return s.verify(SIGNATURE);
            }, Boolean.TRUE::equals, provider, key, key.publicKey(), s);
        }
        Key key = ks.getKey(AES_NAME, null);
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        switch (op) {
            case ENCRYPT:
                c.init(Cipher.ENCRYPT_MODE, key);
                return new Prepared(() -> c.doFinal(PLAINTEXT), v -> Arrays.equals(CIPHERTEXT, (byte[]) v), provider, key, c);
            case DECRYPT:
                c.init(Cipher.DECRYPT_MODE, key);
                return new Prepared(() -> c.doFinal(CIPHERTEXT), v -> Arrays.equals(PLAINTEXT, (byte[]) v), provider, key, c);
            default:
                c.init(Cipher.WRAP_MODE, key);
                return new Prepared(() -> c.wrap(new SecretKeySpec(WRAPPED_KEY_BYTES, "AES")),
                        v -> Arrays.equals(WRAPPED, (byte[]) v), provider, key, c);
        }
    }
}
