package io.github.infisicaljca.kms;

import io.github.infisicaljca.Secret;

/** A ready access token ({@code infisical.accessToken}): nothing to renew, nothing to refresh. */
final class StaticTokenSource implements TokenSource {
    private final Secret token;

    StaticTokenSource(Secret token) {
        this.token = token;
    }

    @Override
    public String token(long deadlineNanos) {
        return token.reveal();
    }

    @Override
    public String refreshAfterRejection(String rejected, long deadlineNanos) {
        return null;
    }

    @Override
    public String redact(String text) {
        return text == null ? null : text.replace(token.reveal(), Secret.MASK);
    }

    @Override
    public String toString() {
        return "StaticTokenSource{token=" + Secret.MASK + "}";
    }
}
