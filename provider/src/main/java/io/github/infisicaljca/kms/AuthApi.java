package io.github.infisicaljca.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.Secret;
import java.util.OptionalLong;

/** The three Universal Auth calls. None carries a bearer header: the credential is in the body. */
final class AuthApi {
    private final RequestExecutor executor;

    AuthApi(RequestExecutor executor) {
        this.executor = executor;
    }

    AuthToken login(String clientId, Secret clientSecret) throws KmsException {
        return login(clientId, clientSecret, OptionalLong.empty());
    }

    /** @param deadlineNanos the deadline of the call this login serves, if any */
    AuthToken login(String clientId, Secret clientSecret, OptionalLong deadlineNanos) throws KmsException {
        ObjectNode body = Json.object().put("clientId", clientId).put("clientSecret", clientSecret.reveal());
        return token("login", "/v1/auth/universal-auth/login", body, deadlineNanos);
    }

    AuthToken renew(Secret accessToken) throws KmsException {
        return renew(accessToken, OptionalLong.empty());
    }

    AuthToken renew(Secret accessToken, OptionalLong deadlineNanos) throws KmsException {
        return token("renew-token", "/v1/auth/token/renew", Json.object().put("accessToken", accessToken.reveal()),
                deadlineNanos);
    }

    void revoke(Secret accessToken) throws KmsException {
        executor.execute(ApiCall.post("revoke-token", null, "/v1/auth/token/revoke",
                Json.object().put("accessToken", accessToken.reveal())).withoutBearer());
    }

    private AuthToken token(String operation, String path, ObjectNode body, OptionalLong deadlineNanos)
            throws KmsException {
        ApiCall call = ApiCall.post(operation, null, path, body).withoutBearer();
        JsonNode answer = deadlineNanos.isPresent()
                ? executor.execute(call, deadlineNanos.getAsLong()) : executor.execute(call);
        return AuthToken.read(new Json.Reader(answer, operation, null));
    }
}
