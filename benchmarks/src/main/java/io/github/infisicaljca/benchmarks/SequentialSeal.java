package io.github.infisicaljca.benchmarks;

import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The baseline of the audit seal figures, frozen: the first release's {@code audit seal} loop,
 * one thread, one line at a time. Kept as it was so that every later sealer is measured against
 * the same "today's rate"; do not speed it up.
 */
final class SequentialSeal implements FileSeal {
    private final AuditCrypto crypto;

    SequentialSeal(AuditCrypto crypto) {
        this.crypto = Objects.requireNonNull(crypto, "crypto");
    }

    @Override
    public void seal(Path in, Path out) throws IOException, AuditCryptoException {
        try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
                BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                writer.write(crypto.seal(AuditEvent.parse(line)).toJson());
                writer.write('\n');
            }
        }
    }

    @Override
    public String toString() {
        return "SequentialSeal{" + crypto + "}";
    }
}
