package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.EventSignature;
import io.github.infisicaljca.audit.FallbackPolicy;
import io.github.infisicaljca.audit.HmacEventSigner;
import io.github.infisicaljca.audit.KmsEventSigner;
import io.github.infisicaljca.audit.batch.BatchSigner;
import io.github.infisicaljca.audit.config.HmacSecretRules;
import io.github.infisicaljca.audit.config.SecurityConfig;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.KeyException;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Builds the commands' {@link AuditCrypto} from environment variables (an explicit map, so
 * tests never read the real environment). KMS signing when {@code INFISICAL_URL}, credentials
 * and {@code KMS_SIGNING_KEY_ID} are set; else HMAC-SHA256 keyed by {@code AUDIT_CRYPTO_SECRET}.
 * Messages name variables, never their secret values.
 */
final class CliEnvironment {
    static final String URL = "INFISICAL_URL";
    static final String ACCESS_TOKEN = "INFISICAL_ACCESS_TOKEN";
    static final String TOKEN = "INFISICAL_TOKEN";
    static final String CLIENT_ID = "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID";
    static final String CLIENT_SECRET = "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET";
    static final String SIGNING_KEY_ID = "KMS_SIGNING_KEY_ID";
    static final String SIGNING_ALGORITHM = "KMS_SIGNING_ALGORITHM";
    static final String AUDIT_SECRET = "AUDIT_CRYPTO_SECRET";

    static final String NO_KEY = "no audit signing key is configured: set " + SIGNING_KEY_ID + " (with " + URL
            + " and " + ACCESS_TOKEN + ", or " + CLIENT_ID + " and " + CLIENT_SECRET + ") to sign with Infisical KMS, "
            + "or " + AUDIT_SECRET + " to use HMAC-SHA256";

    private final Map<String, String> env;
    // Set by kms(): the key behind its signer, for verifying batch seals made with another of its algorithms.
    private InfisicalProvider kmsProvider;
    private InfisicalPrivateKey kmsKey;

    CliEnvironment(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** For {@code audit seal}: the KMS (policy KMS_ONLY) when configured, else HMAC (HMAC_WHEN_KMS_DISABLED). */
    AuditCrypto sealer() throws CliException {
        HmacEventSigner hmac = hmac(); // checked even when the KMS signs: a set variable is never silently bad
        KmsEventSigner kms = kms();
        if (kms != null) {
            return AuditCrypto.builder().kms(kms).policy(FallbackPolicy.KMS_ONLY).build();
        }
        if (hmac == null) {
            throw noKey();
        }
        return AuditCrypto.builder().hmac(hmac).policy(FallbackPolicy.HMAC_WHEN_KMS_DISABLED).build();
    }

    /**
     * For {@code audit verify}: accepts the KMS algorithm when the KMS is configured (never
     * HMAC-SHA256 then: no downgrade), HMAC-SHA256 when only {@code AUDIT_CRYPTO_SECRET} is set;
     * {@code accept} (from {@code --accept}) replaces that choice.
     */
    AuditCrypto verifier(List<String> accept) throws CliException {
        return verifiers(accept).smartLogs();
    }

    /** For {@code audit seal --batch}: the same choice as {@link #sealer()}, as a batch signer. */
    BatchSigner batchSigner() throws CliException {
        HmacEventSigner hmac = hmac();
        KmsEventSigner kms = kms();
        if (kms != null) {
            return BatchSigner.kms(kms);
        }
        if (hmac == null) {
            throw noKey();
        }
        return BatchSigner.hmac(Secret.of(env.get(AUDIT_SECRET)), HMAC_KEY_ID);
    }

    /**
     * The name batch seals give the HMAC secret: the variable that holds it (a seal names its key,
     * and this one has no id of its own; the secret itself is never written).
     */
    static final String HMAC_KEY_ID = AUDIT_SECRET;

    /** What {@code audit verify} checks with: smart-logs lines and batch seals, the same keys accepted for both. */
    record Verifiers(AuditCrypto smartLogs, List<BatchSigner> batchKeys) {
    }

    /** As {@link #verifier}, plus the batch keys for the same accepted algorithms (the KMS and HMAC signers are made once). */
    Verifiers verifiers(List<String> accept) throws CliException {
        KmsEventSigner kms = kms();
        HmacEventSigner hmac = hmac();
        if (kms == null && hmac == null) {
            throw noKey();
        }
        AuditCrypto.Builder b = AuditCrypto.builder().kms(kms).hmac(hmac)
                .policy(kms != null ? FallbackPolicy.KMS_ONLY : FallbackPolicy.HMAC_WHEN_KMS_DISABLED);
        LinkedHashSet<String> names = accept == null ? null : accepted(accept, kms != null, hmac != null);
        if (names != null) {
            b.acceptedAlgorithms(names);
        }
        List<BatchSigner> keys = new ArrayList<>();
        if (kms != null) {
            for (String name : names == null ? List.of(kms.algorithm()) : names) {
                // A batch key stands for one algorithm: each accepted KMS algorithm gets its own view of the key.
                SigningAlgorithm alg = SigningAlgorithm.fromWire(name).orElse(null);
                if (alg != null && (alg.family() == SigningAlgorithm.Family.ECDSA) == (kmsKey instanceof ECKey)) {
                    keys.add(BatchSigner.kms(KmsEventSigner.of(kmsProvider, kmsKey, alg)));
                }
            }
        }
        if (hmac != null && (names == null ? kms == null : names.contains(EventSignature.HMAC_SHA256))) {
            keys.add(BatchSigner.hmac(Secret.of(env.get(AUDIT_SECRET)), HMAC_KEY_ID));
        }
        return new Verifiers(b.build(), List.copyOf(keys));
    }

    /** No key at all: the KMS signing key is named only where the server can have one. */
    private CliException noKey() {
        String finding = value(URL) == null ? null : NoSigningKeys.ask(providerConfig());
        return CliException.usage(finding == null ? NO_KEY
                : "no audit signing key is configured, and " + finding + ": " + NoSigningKeys.HMAC_ADVICE);
    }

    /** The provider's configuration from the variables; {@code null} when they do not make one. */
    private InfisicalConfig providerConfig() {
        try {
            return InfisicalConfig.builder().environment(env).systemProperties(new Properties()).build();
        } catch (InfisicalConfigException e) {
            return null;
        }
    }

    private static LinkedHashSet<String> accepted(List<String> names, boolean kms, boolean hmac) throws CliException {
        if (names.isEmpty()) {
            throw CliException.usage("--accept needs at least one algorithm");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String name : names) {
            if (name.equals(EventSignature.HMAC_SHA256)) {
                if (!hmac) {
                    throw CliException.usage("--accept " + name + " needs " + AUDIT_SECRET + " to check HMAC signatures");
                }
            } else if (SigningAlgorithm.fromWire(name).isPresent()) {
                if (!kms) {
                    throw CliException.usage("--accept " + name + " needs the KMS signing key: set " + SIGNING_KEY_ID
                            + ", " + URL + " and credentials");
                }
            } else {
                throw CliException.usage("--accept: unknown algorithm '" + name + "' (known: "
                        + EventSignature.HMAC_SHA256 + ", " + String.join(", ", wireNames()) + ")");
            }
            out.add(name);
        }
        return out;
    }

    /** The KMS signer, {@code null} when {@code KMS_SIGNING_KEY_ID} is not set. */
    private KmsEventSigner kms() throws CliException {
        String keyId = value(SIGNING_KEY_ID);
        if (keyId == null) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (value(URL) == null) {
            missing.add(URL);
        }
        boolean token = value(ACCESS_TOKEN) != null || value(TOKEN) != null;
        if (!token && (value(CLIENT_ID) == null || value(CLIENT_SECRET) == null)) {
            missing.add(ACCESS_TOKEN + " (or " + CLIENT_ID + " and " + CLIENT_SECRET + ")");
        }
        if (!missing.isEmpty()) {
            throw CliException.usage(SIGNING_KEY_ID + " is set but " + String.join(" and ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not: set them to sign with Infisical KMS, or unset "
                    + SIGNING_KEY_ID + " to use " + AUDIT_SECRET);
        }
        InfisicalConfig config;
        try {
            config = InfisicalConfig.builder().environment(env).systemProperties(new Properties()).build();
        } catch (InfisicalConfigException e) {
            throw CliException.usage(e.getMessage());
        }
        InfisicalProvider provider = new InfisicalProvider(config);
        InfisicalKey key;
        try {
            key = provider.key(keyId);
        } catch (KeyException e) {
            throw CliException.failure(SIGNING_KEY_ID + ": " + e.getMessage()
                    + hmacInstead("; ", NoSigningKeys.askAfter(config, e)), e);
        }
        if (!(key instanceof InfisicalPrivateKey)) {
            throw CliException.usage(SIGNING_KEY_ID + " " + keyId + " is not a sign-verify key (it is "
                    + Wording.a(key.kmsAlgorithm()) + " key)" + hmacInstead(", and ", NoSigningKeys.ask(config)));
        }
        kmsProvider = provider;
        kmsKey = (InfisicalPrivateKey) key;
        return KmsEventSigner.of(provider, kmsKey, algorithm(key));
    }

    /** The advice where the server offers no signing keys ({@code finding}); empty when it does. */
    private static String hmacInstead(String joint, String finding) {
        return finding == null ? "" : joint + finding + ": unset " + SIGNING_KEY_ID + " and " + NoSigningKeys.HMAC_ADVICE;
    }

    /** {@code KMS_SIGNING_ALGORITHM}, else RSASSA_PSS_SHA_256 for RSA keys and ECDSA_SHA_256 for EC keys. */
    private SigningAlgorithm algorithm(InfisicalKey key) throws CliException {
        boolean ec = key instanceof ECKey;
        String name = value(SIGNING_ALGORITHM);
        if (name == null) {
            return ec ? SigningAlgorithm.ECDSA_SHA_256 : SigningAlgorithm.RSASSA_PSS_SHA_256;
        }
        SigningAlgorithm alg = SigningAlgorithm.fromWire(name).orElse(null);
        if (alg == null) {
            throw CliException.usage(SIGNING_ALGORITHM + " '" + name + "' is not an Infisical signing algorithm (known: "
                    + String.join(", ", wireNames()) + ")");
        }
        if ((alg.family() == SigningAlgorithm.Family.ECDSA) != ec) {
            throw CliException.usage(SIGNING_ALGORITHM + " " + alg.wireName() + " does not fit key " + key.keyId()
                    + " (" + key.kmsAlgorithm() + ")");
        }
        return alg;
    }

    /**
     * The HMAC signer; {@code null} when {@code AUDIT_CRYPTO_SECRET} is unset. The audit
     * configuration's rules for the secret apply, with production's length: this command cannot
     * tell a test run from the real thing, and a sealed log outlives the run.
     */
    private HmacEventSigner hmac() throws CliException {
        String secret = env.get(AUDIT_SECRET);
        if (secret == null || secret.isBlank()) {
            return null;
        }
        String problem = HmacSecretRules.problem(AUDIT_SECRET, secret, SecurityConfig.MIN_PRODUCTION_SECRET_LENGTH)
                .orElse(null);
        if (problem != null) {
            throw CliException.usage(problem);
        }
        return HmacEventSigner.of(Secret.of(secret));
    }

    /** A trimmed value; {@code null} when unset or blank. */
    private String value(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static List<String> wireNames() {
        return Arrays.stream(SigningAlgorithm.values()).map(SigningAlgorithm::wireName).toList();
    }
}
