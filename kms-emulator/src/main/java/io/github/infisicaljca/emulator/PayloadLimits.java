package io.github.infisicaljca.emulator;

/**
 * Caps on decoded binary fields. Every server read so far caps every field at 4096 bytes; one
 * newer snapshot raises them (1 MiB data and plaintext, 1 MiB + 1024 ciphertext, 8192
 * signatures, 1024 MACs).
 */
public record PayloadLimits(int data, int plaintext, int ciphertext, int signature, int mac) {

    /** 4096 bytes for every field: what every server read so far applies (the default). */
    public static final PayloadLimits LEGACY_4096 = new PayloadLimits(4096, 4096, 4096, 4096, 4096);
    /** The raised caps of one newer server snapshot: 1 MiB data and plaintext, 8192-byte signatures, 1024-byte MACs. */
    public static final PayloadLimits MODERN_1_MIB = new PayloadLimits(1 << 20, 1 << 20, (1 << 20) + 1024, 8192, 1024);
}
