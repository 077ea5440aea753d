package io.github.infisicaljca.emulator;

/**
 * Caps on decoded binary fields. Every server read so far caps every field at 4096 bytes; one
 * newer snapshot raises them (1 MiB data and plaintext, 1 MiB + 1024 ciphertext, 8192
 * signatures, 1024 MACs).
 */
public record PayloadLimits(int data, int plaintext, int ciphertext, int signature, int mac) {

    public static final PayloadLimits LEGACY_4096 = new PayloadLimits(4096, 4096, 4096, 4096, 4096);
    public static final PayloadLimits MODERN_1_MIB = new PayloadLimits(1 << 20, 1 << 20, (1 << 20) + 1024, 8192, 1024);
}
