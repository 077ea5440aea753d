package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.cli.DoctorReport.Diagnosis;
import io.github.infisicaljca.kms.KeyUsage;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.telemetry.KmsTelemetry;
import io.github.infisicaljca.kms.KmsKey;
import io.github.infisicaljca.kms.RequestBudget;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code doctor}: walks the troubleshooting chart (configuration, DNS, TCP, TLS, authentication,
 * key access, one operation per key usage, latency). Exit 0 healthy, 1 not. Never prints a secret.
 */
final class DoctorCommand {
    static final String USAGE = String.join("\n",
            "usage: infisical-jca doctor",
            "",
            "Checks the configuration in the environment (INFISICAL_URL, credentials, INFISICAL_PROJECT_ID,",
            "KMS_SIGNING_KEY_ID, KMS_ENCRYPTION_KEY_ID, KMS_HMAC_KEY_ID, INFISICAL_CA_CERT_PATH) step by step:",
            "configuration, DNS, TCP, TLS, authentication, key access, one operation per key, latency, and",
            "the request budget (the rate limits the server announced, per route). Each failure ends with",
            "its likely cause and a remedy. Exit 0 healthy, 1 not.",
            "");

    /** A configured key: the variable that names it and the usage it needs. */
    private record Configured(String variable, String keyId, KeyUsage usage) {
    }

    /** Encryptions are writes (200 a minute by default); reads are scarcer (60), so fewer of them. */
    private static final int LATENCY_CALLS = 10;
    private static final int LATENCY_READS = 5;

    private final Map<String, String> env;
    private final DoctorReport report;

    private DoctorCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.report = new DoctorReport(out);
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out) throws CliException {
        Args a = Args.parse(args, List.of());
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        DoctorCommand d = new DoctorCommand(env, out);
        d.walk();
        out.println();
        out.println(d.report.healthy() ? "healthy: every check passed" : "NOT healthy: see the FAILED steps above");
        return d.report.healthy() ? 0 : CliException.FAILURE;
    }

    private void walk() {
        report.step(1, "Configuration (from the environment; secrets masked)");
        InfisicalConfig config;
        try {
            config = InfisicalConfig.builder().environment(env).systemProperties(new Properties()).build();
        } catch (InfisicalConfigException e) {
            for (String problem : e.problems()) {
                report.detail("problem: " + problem);
            }
            report.failed(Wording.count(e.problems().size(), "configuration problem"), new Diagnosis(
                    "the configuration is incomplete or has a typo (for example INFISICAL_URL not set)",
                    "set the variables named above (see './infisical-jca --help' and README.md, Configuration);"
                    + " './infisical-jca dev-server' prints a working set for a local emulator"));
            return;
        }
        config.sanitized().forEach((k, v) -> report.detail(String.format("%-32s %s", k, v)));
        List<Configured> keys = keys();
        for (Configured k : keys) {
            report.detail(String.format("%-32s %s", k.variable(), k.keyId()));
        }
        report.ok(keys.isEmpty() ? "valid (no KMS_*_KEY_ID set: key checks will be skipped)" : "valid");

        if (!new DoctorNetwork(config, report).check()) {
            return;
        }
        // One client for every step, the provider's included: one login, one budget, all counted.
        try (KmsClient client = KmsClient.create(config)) {
            List<KmsKey> listed = new ArrayList<>();
            if (authenticate(config, client, keys, listed)) {
                String noSigning = config.projectId().map(p -> NoSigningKeys.finding(p, listed)).orElse(null);
                List<Configured> usable = access(client, keys, listed, noSigning);
                operations(new InfisicalProvider(client), client, usable);
                latency(config, client, usable);
            }
            budget(client);
            telemetry(client);
        }
    }

    /**
     * What the walk cost and how it went, as the client's own telemetry counts it: the figures
     * the MBean and the JFR events give a running service (docs/observability.md).
     */
    private void telemetry(KmsClient client) {
        report.step(10, "Telemetry (this run's KMS calls, as the MBean io.github.infisicaljca:type=KmsClient shows them)");
        KmsTelemetry t = client.telemetry();
        if (t.calls() == 0) {
            report.skipped("no KMS call was made");
            return;
        }
        t.toString().lines().skip(1).forEach(report::detail);
        report.ok(Wording.count(t.calls(), "KMS call") + ", " + t.failures() + " failed, " + t.retries()
                + " retried");
    }

    private List<Configured> keys() {
        List<Configured> keys = new ArrayList<>();
        add(keys, CliEnvironment.SIGNING_KEY_ID, KeyUsage.SIGN_VERIFY);
        add(keys, "KMS_ENCRYPTION_KEY_ID", KeyUsage.ENCRYPT_DECRYPT);
        add(keys, "KMS_HMAC_KEY_ID", KeyUsage.GENERATE_VERIFY_MAC);
        return keys;
    }

    private void add(List<Configured> keys, String variable, KeyUsage usage) {
        String v = env.get(variable);
        if (v != null && !v.isBlank()) {
            keys.add(new Configured(variable, v.trim(), usage));
        }
    }

    /** @param listed receives the project's keys when they were listed, so later steps need not ask again */
    private boolean authenticate(InfisicalConfig config, KmsClient client, List<Configured> keys, List<KmsKey> listed) {
        report.step(5, "Authentication (" + (config.authMethod() == InfisicalConfig.AuthMethod.UNIVERSAL_AUTH
                ? "Universal Auth as client " + config.clientId().orElse("") : "static access token") + ")");
        try {
            if (config.projectId().isPresent()) {
                listed.addAll(client.listKeys(config.projectId().get()));
                report.ok("logged in; project " + config.projectId().get() + " lists " + Wording.count(listed.size(), "key"));
            } else if (!keys.isEmpty()) {
                listed.add(client.getKey(keys.get(0).keyId()));
                report.ok("logged in; read key " + keys.get(0).keyId());
            } else if (config.authMethod() == InfisicalConfig.AuthMethod.UNIVERSAL_AUTH) {
                client.login(config.clientId().orElseThrow(), config.clientSecret().orElseThrow());
                report.ok("logged in (set INFISICAL_PROJECT_ID or a KMS_*_KEY_ID to check more)");
            } else {
                report.skipped("a static token can only be checked with a call: set INFISICAL_PROJECT_ID or a"
                        + " KMS_*_KEY_ID");
            }
            return true;
        } catch (Exception e) {
            report.failed("the server refused or did not answer", e);
            return false;
        }
    }

    /** @param noSigning why the server cannot have the signing key ({@link NoSigningKeys}); {@code null} when it can */
    private List<Configured> access(KmsClient client, List<Configured> keys, List<KmsKey> listed, String noSigning) {
        report.step(6, "Key access");
        List<Configured> usable = new ArrayList<>();
        if (keys.isEmpty()) {
            report.skipped("no key configured (KMS_SIGNING_KEY_ID, KMS_ENCRYPTION_KEY_ID, KMS_HMAC_KEY_ID)");
        }
        for (Configured k : keys) {
            try {
                KmsKey key = listed.stream().filter(l -> l.id().equalsIgnoreCase(k.keyId())).findFirst()
                        .orElse(null);
                if (key == null) {
                    key = client.getKey(k.keyId());
                }
                String what = k.variable() + " " + k.keyId() + ": '" + key.name() + "', " + key.keyUsage().wireName()
                        + ", " + key.algorithm() + (key.disabled() ? ", DISABLED" : "");
                if (key.disabled()) {
                    report.failed(what, new Diagnosis("the key is disabled in Infisical",
                            "enable it in the project's KMS settings, or point " + k.variable() + " at another key"));
                } else if (key.keyUsage() != k.usage() && signingImpossible(k, noSigning)) {
                    report.failed(what, hmacInstead(noSigning));
                } else if (key.keyUsage() != k.usage()) {
                    report.failed(what, new Diagnosis(k.variable() + " needs " + Wording.a(k.usage().wireName()) + " key",
                            "point " + k.variable() + " at " + Wording.a(k.usage().wireName()) + " key of the project"));
                } else {
                    report.ok(what);
                    usable.add(k);
                }
            } catch (Exception e) {
                report.failed(k.variable() + " " + k.keyId() + ": " + DoctorReport.oneLine(e),
                        signingImpossible(k, noSigning) ? hmacInstead(noSigning) : DoctorReport.diagnose(e));
            }
        }
        if (noSigning != null && keys.stream().noneMatch(k -> k.usage() == KeyUsage.SIGN_VERIFY)) {
            report.detail("note: " + noSigning + ": audit seal signs with HMAC-SHA256 keyed by "
                    + CliEnvironment.AUDIT_SECRET);
        }
        return usable;
    }

    private static boolean signingImpossible(Configured k, String noSigning) {
        return noSigning != null && k.usage() == KeyUsage.SIGN_VERIFY;
    }

    private static Diagnosis hmacInstead(String noSigning) {
        return new Diagnosis(noSigning, "unset " + CliEnvironment.SIGNING_KEY_ID + " and " + NoSigningKeys.HMAC_ADVICE);
    }

    private void operations(InfisicalProvider provider, KmsClient client, List<Configured> keys) {
        report.step(7, "One small operation per key usage");
        if (keys.isEmpty()) {
            report.skipped("no usable key");
        }
        byte[] data = "infisical-jca doctor".getBytes(StandardCharsets.UTF_8);
        for (Configured k : keys) {
            try {
                switch (k.usage()) {
                    case SIGN_VERIFY -> sign(provider, k, data);
                    case ENCRYPT_DECRYPT -> {
                        byte[] pt = client.decrypt(k.keyId(), client.encrypt(k.keyId(), data));
                        if (!Arrays.equals(pt, data)) {
                            throw new IllegalStateException("decrypt returned other bytes than were encrypted");
                        }
                        report.ok(k.variable() + ": encrypted and decrypted " + data.length + " bytes");
                    }
                    default -> {
                        byte[] mac = client.generateMac(k.keyId(), data);
                        boolean valid = client.verifyMac(k.keyId(), data, mac);
                        if (!valid) {
                            throw new IllegalStateException("the server did not verify its own MAC");
                        }
                        report.ok(k.variable() + ": " + mac.length + "-byte MAC computed and verified");
                    }
                }
            } catch (Exception e) {
                report.failed(k.variable() + " " + k.keyId(), e);
            }
        }
    }

    private void sign(InfisicalProvider provider, Configured k, byte[] data) throws Exception {
        InfisicalPrivateKey key = (InfisicalPrivateKey) provider.key(k.keyId());
        boolean ec = key instanceof ECKey;
        Signature s = Signature.getInstance(ec ? "INFISICAL-ECDSA" : "INFISICAL-RSA", provider);
        s.initSign(key);
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA", ec ? "SunEC" : "SunRsaSign");
        v.initVerify(key.publicKey());
        v.update(data);
        if (!v.verify(sig)) {
            throw new IllegalStateException("the signature does not verify against the key's public key");
        }
        report.ok(k.variable() + ": signed in the KMS (" + (ec ? "ECDSA_SHA_256" : "RSASSA_PKCS1_V1_5_SHA_256")
                + ", " + sig.length + " bytes), verified locally with the JDK");
    }

    private void latency(InfisicalConfig config, KmsClient client, List<Configured> keys) {
        report.step(8, "Latency over a few small calls");
        Configured enc = keys.stream().filter(k -> k.usage() == KeyUsage.ENCRYPT_DECRYPT).findFirst().orElse(null);
        String what;
        if (enc != null) {
            what = "encrypt of 16 bytes with " + enc.keyId();
        } else if (!keys.isEmpty()) {
            what = "get-key " + keys.get(0).keyId();
        } else if (config.projectId().isPresent()) {
            what = "list-keys of project " + config.projectId().get();
        } else {
            report.skipped("nothing to call: set INFISICAL_PROJECT_ID or a KMS_*_KEY_ID");
            return;
        }
        long[] nanos = new long[enc != null ? LATENCY_CALLS : LATENCY_READS];
        try {
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                if (enc != null) {
                    client.encrypt(enc.keyId(), new byte[16]);
                } else if (!keys.isEmpty()) {
                    client.getKey(keys.get(0).keyId());
                } else {
                    client.listKeys(config.projectId().get());
                }
                nanos[i] = System.nanoTime() - start;
            }
        } catch (Exception e) {
            report.failed(what, e);
            return;
        }
        Arrays.sort(nanos);
        double p50 = percentile(nanos, 50) / 1e6;
        double p95 = percentile(nanos, 95) / 1e6;
        report.detail("calls: " + nanos.length + " x " + what);
        report.ok(String.format("p50 %.1f ms, p95 %.1f ms", p50, p95));
        if (p95 > 1000) {
            report.detail("note: p95 above 1 s; every signature and decryption costs at least one such call");
        }
    }

    /**
     * The rate limits the server announced on the routes doctor used (Infisical sends them on
     * every answer of a limited route). Informational: a spent budget shows up as the failure
     * of the step that met it.
     */
    private void budget(KmsClient client) {
        report.step(9, "Request budget (rate limits the server announced to this address, per route)");
        List<RequestBudget> budgets = client.requestBudgets();
        if (budgets.isEmpty()) {
            report.skipped("no KMS call was made");
            return;
        }
        budgets.forEach(b -> report.detail(b.toString()));
        long limited = budgets.stream().filter(RequestBudget::limited).count();
        if (limited == 0) {
            report.ok("no route announced a rate limit (x-ratelimit-* headers): none applies, or a proxy strips them");
            return;
        }
        report.ok(limited + " of " + Wording.count(budgets.size(), "route") + " limited; each call spends one request of its"
                + " route's budget (see README.md, Rate limits)");
        budgets.stream().filter(b -> b.limited() && b.remaining() >= 0 && b.remaining() * 10 < b.limit())
                .forEach(b -> report.detail("note: " + b.route() + " has less than a tenth of its budget left"));
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
