package io.github.infisicaljca.audit.lines;

import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.FallbackPolicy;
import io.github.infisicaljca.audit.HmacEventSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Inputs and a harness for the JSON Lines sealer tests. */
final class Lines {
    static final AuditCrypto HMAC = AuditCrypto.builder().hmac(HmacEventSigner.of(Secret.of("lines-test-secret-0123456789abcdef")))
            .policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();

    private Lines() {
    }

    /** Event {@code i} as a producer might write it: number forms, escapes and spacing Jackson would not write back. */
    static String event(int i) {
        return "{\"timestamp\":\"2026-03-01T10:00:" + String.format("%02d", i % 60) + ".000Z\", \"action\":\"transfer\","
                + "\"status\":\"success\",\"principalId\":\"user-" + i + "\",\"details\":{\"amount\":1.50,"
                + "\"big\":1E+2,\"note\":\"Z\\u00fcrich \\ud83d\\ude00 \\/ \"},\"dataClassification\":\"PHI\" }";
    }

    static List<String> events(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(i));
        }
        return out;
    }

    /** A source over lines that throws {@code failure} instead of returning line {@code failAt} (1-based; 0: never). */
    static LineSource source(List<String> lines, int failAt, IOException failure) {
        Iterator<String> it = lines.iterator();
        int[] n = {0};
        return () -> {
            n[0]++;
            if (n[0] == failAt) {
                throw failure;
            }
            return it.hasNext() ? it.next() : null;
        };
    }

    /** The output of a seal, line by line. */
    static List<String> lines(ByteArrayOutputStream out) {
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
