package io.github.infisicaljca.audit;

/** The outcome of verifying a sealed event; {@code reason} says why it failed (and never quotes a secret). */
public record Verification(boolean valid, String reason) {
    static final Verification OK = new Verification(true, "valid");

    static Verification failed(String reason) {
        return new Verification(false, reason);
    }
}
