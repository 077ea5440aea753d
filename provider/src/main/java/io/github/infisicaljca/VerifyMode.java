package io.github.infisicaljca;

/** Where signatures made with an Infisical key handle are verified ({@code infisical.verify}). */
public enum VerifyMode {
    /** Locally, against the key's public key fetched once and cached (the default). */
    LOCAL,
    /** By the server's verify endpoint, one remote call per verification. */
    REMOTE
}
