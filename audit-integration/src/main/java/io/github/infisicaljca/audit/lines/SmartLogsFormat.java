package io.github.infisicaljca.audit.lines;

import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.EventHasher;
import io.github.infisicaljca.audit.EventSignature;
import io.github.infisicaljca.audit.batch.Checkpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The smart-logs format: each event gets hash, hashAlgorithm, signature and algorithm, signed alone. */
final class SmartLogsFormat implements LineFormat {
    private static final List<String> SEAL_FIELDS = List.of(AuditEvent.HASH, AuditEvent.HASH_ALGORITHM,
            AuditEvent.SIGNATURE, AuditEvent.ALGORITHM);

    private final AuditCrypto crypto;

    SmartLogsFormat(AuditCrypto crypto) {
        this.crypto = crypto;
    }

    @Override
    public Prepared prepare(String line) throws AuditCryptoException {
        EventScan scan = EventScan.of(line, false);
        if (scan != null) {
            return appended(line, EventHasher.generateHash(scan.hashed));
        }
        AuditEvent event = AuditEvent.parse(line); // the tree path: its errors are the ones to report
        if (SEAL_FIELDS.stream().anyMatch(event::has)) {
            // Sealed before: the seal is replaced where it stands, which the event's own text cannot show.
            AuditEvent sealed = crypto.seal(event);
            return new Prepared((JsonLineText.escapeLoneSurrogates(sealed.toJson()) + "\n")
                    .getBytes(StandardCharsets.UTF_8), null, sealed.text(AuditEvent.ALGORITHM));
        }
        return appended(line, crypto.generateHash(event));
    }

    /** The line with the seal of the event whose hash this is appended. */
    private Prepared appended(String line, String hash) throws AuditCryptoException {
        EventSignature s = crypto.generateEventSignature(hash);
        String fields = "\"" + AuditEvent.HASH + "\":\"" + hash + "\",\"" + AuditEvent.HASH_ALGORITHM + "\":\""
                + EventHasher.HASH_ALGORITHM + "\",\"" + AuditEvent.SIGNATURE + "\":" + JsonLineText.quote(s.signature())
                + ",\"" + AuditEvent.ALGORITHM + "\":" + JsonLineText.quote(s.algorithm());
        return new Prepared(JsonLineText.append(line, fields, "}\n"), null, s.algorithm());
    }

    @Override
    public Emitter emitter(OutputStream out) {
        return new Emitter() {
            private long written;
            private String algorithm;

            @Override
            public void accept(long line, Prepared p) throws IOException {
                out.write(p.text());
                written++;
                algorithm = p.algorithm();
            }

            @Override
            public void finish() {
                // every event was written when it came
            }

            @Override
            public long written() {
                return written;
            }

            @Override
            public long batches() {
                return 0;
            }

            @Override
            public Checkpoint checkpoint() {
                return null;
            }

            @Override
            public String algorithm() {
                return algorithm;
            }
        };
    }
}
