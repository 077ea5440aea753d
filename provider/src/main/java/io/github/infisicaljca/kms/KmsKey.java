package io.github.infisicaljca.kms;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A KMS key's metadata as the server describes it. Fields absent on some servers are null
 * ({@code description}, {@code orgId}, {@code version}, and {@code algorithm} in the 2024
 * server's create answer); {@code keyUsage} is derived from the algorithm when not sent.
 *
 * @param algorithm the key algorithm, for example {@code aes-256-gcm} or {@code RSA_4096}
 */
public record KmsKey(String id, String name, String description, String projectId, String orgId,
        boolean disabled, KeyUsage keyUsage, String algorithm, Integer version, Instant createdAt,
        Instant updatedAt) {
    /** Lower-case words joined by hyphens, as Infisical's usage names are (no digits: a token may look so). */
    private static final Pattern USAGE_LIKE = Pattern.compile("[a-z]{1,20}(-[a-z]{1,20}){0,3}");

    static KmsKey read(Json.Reader r) throws KmsException {
        String algorithm = r.optionalText("algorithm");
        if (algorithm == null) {
            algorithm = r.optionalText("encryptionAlgorithm");
        }
        String usageText = r.optionalText("keyUsage");
        KeyUsage usage = usageText == null ? KeyUsage.ofAlgorithm(algorithm) : KeyUsage.fromWire(usageText);
        if (usage == null) {
            // Quoted only when it looks like a usage name: the server may echo what it was sent in any field.
            throw r.malformed("unknown keyUsage" + (USAGE_LIKE.matcher(usageText).matches() ? " '" + usageText + "'"
                    : " (a value that is not a usage name)"));
        }
        String id = r.text("id");
        if (!Json.isUuid(id)) {
            throw r.malformed("a key's id is not a UUID");
        }
        Long version = r.optionalNumber("version");
        Boolean disabled = r.optionalBool("isDisabled");
        return new KmsKey(id, r.text("name"), r.optionalText("description"), r.optionalText("projectId"),
                r.optionalText("orgId"), disabled != null && disabled, usage, algorithm,
                version == null ? null : version.intValue(), instant(r, "createdAt"), instant(r, "updatedAt"));
    }

    private static Instant instant(Json.Reader r, String field) throws KmsException {
        String text = r.optionalText(field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw r.malformed("field '" + field + "' is not an ISO-8601 instant");
        }
    }
}
