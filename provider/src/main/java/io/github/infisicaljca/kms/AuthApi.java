package io.github.infisicaljca.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infisicaljca.Secret;

/** The three Universal Auth calls. None carries a bearer header: the credential is in the body. */
final class AuthApi {
    private final RequestExecutor executor;

    AuthApi(RequestExecutor executor) {
        this.executor = executor;
    }

    AuthToken login(String clientId, Secret clientSecret) throws KmsException {
        ObjectNode body = Json.object().put("clientId", clientId).put("clientSecret", clientSecret.reveal());
        return token("login", "/v1/auth/universal-auth/login", body);
    }

    AuthToken renew(Secret accessToken) throws KmsException {
        return token("renew-token", "/v1/auth/token/renew", Json.object().put("accessToken", accessToken.reveal()));
    }

    void revoke(Secret accessToken) throws KmsException {
        executor.execute(ApiCall.post("revoke-token", null, "/v1/auth/token/revoke",
                Json.object().put("accessToken", accessToken.reveal())).withoutBearer());
    }

    private AuthToken token(String operation, String path, ObjectNode body) throws KmsException {
        return AuthToken.read(new Json.Reader(executor.execute(ApiCall.post(operation, null, path, body).withoutBearer()),
                operation, null));
    }
}
