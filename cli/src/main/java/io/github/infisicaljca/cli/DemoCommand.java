package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.audit.AuditCrypto;
import io.github.infisicaljca.audit.AuditCryptoException;
import io.github.infisicaljca.audit.AuditEvent;
import io.github.infisicaljca.audit.FallbackPolicy;
import io.github.infisicaljca.audit.KmsEventSigner;
import io.github.infisicaljca.audit.Verification;
import io.github.infisicaljca.emulator.KmsEmulator;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;

/**
 * {@code demo}: a tour of the provider on an in-process KMS emulator, with no server and no
 * configuration. Every step says in plain words what it does; nothing secret is printed.
 */
final class DemoCommand {
    static final String USAGE = String.join("\n",
            "usage: infisical-jca demo",
            "",
            "A self-contained tour on the embedded KMS emulator (no server, no configuration):",
            "registers the Infisical provider, lists the KeyStore, signs and verifies, encrypts and",
            "decrypts, runs an envelope round trip, and seals and verifies audit events. Exit 0 when",
            "every step worked.",
            "");

    private final PrintStream out;
    private int step;

    private DemoCommand(PrintStream out) {
        this.out = out;
    }

    static int run(List<String> args, PrintStream out) throws CliException {
        return run(args, out, KmsEmulator.builder());
    }

    /** With the emulator to start given (tests choose its credentials). */
    static int run(List<String> args, PrintStream out, KmsEmulator.Builder emulator) throws CliException {
        Args a = Args.parse(args, List.of());
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        long start = System.nanoTime();
        out.println("infisical-jca demo: a tour on the embedded KMS emulator (no server, no configuration needed)");
        try (KmsEmulator kms = emulator.start()) {
            new DemoCommand(out).tour(kms);
        } catch (GeneralSecurityException | AuditCryptoException | IOException | RuntimeException e) {
            throw CliException.failure("demo step failed: " + e, e);
        }
        out.printf("%nall steps worked in %.1f s. Next: './infisical-jca dev-server' for a server of your own,"
                + " './infisical-jca doctor' to check a real configuration.%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private void step(String text) {
        out.println();
        out.println(++step + ". " + text);
    }

    private void say(String text) {
        out.println("   " + text);
    }

    private void tour(KmsEmulator kms) throws GeneralSecurityException, AuditCryptoException, IOException {
        say("started a KMS emulator on " + kms.url() + " with four seeded keys");
        InfisicalConfig config = InfisicalConfig.builder().withoutAmbientSources()
                .url(kms.url().toString())
                .clientId(kms.clientId()).clientSecret(kms.clientSecret())
                .projectId(kms.projectId())
                .build();
        InfisicalProvider provider = new InfisicalProvider(config);

        step("Register the provider: Security.addProvider(new InfisicalProvider(config))");
        boolean added = Security.addProvider(provider) != -1;
        if (!added) {
            throw new IllegalStateException("a provider named " + InfisicalProvider.NAME
                    + " is already registered in this JVM");
        }
        try {
            say("provider '" + provider.getName() + "' registered at position "
                    + (Arrays.asList(Security.getProviders()).indexOf(provider) + 1)
                    + " (universal auth as client " + kms.clientId() + "; the secret is never printed)");
            withProvider(kms, provider);
        } finally {
            Security.removeProvider(provider.getName());
        }
        step("Clean up");
        say("provider removed (Security.removeProvider), emulator stopped");
    }

    private void withProvider(KmsEmulator kms, InfisicalProvider provider)
            throws GeneralSecurityException, AuditCryptoException, IOException {
        step("Load the KeyStore: KeyStore.getInstance(\"INFISICAL\").load(null, null)");
        KeyStore ks = KeyStore.getInstance("INFISICAL");
        ks.load(null, null);
        List<String> aliases = new ArrayList<>(Collections.list(ks.aliases()));
        Collections.sort(aliases);
        say("the KeyStore lists the project's keys by name: " + String.join(", ", aliases));
        for (String alias : aliases) {
            say(String.format("  %-16s id %s", alias, kms.keyId(alias)));
        }

        byte[] message = "release 1.4.2 of the payments service".getBytes(StandardCharsets.UTF_8);
        step("Sign with INFISICAL-RSA (RSASSA_PKCS1_V1_5_SHA_256, signed inside the KMS)");
        InfisicalPrivateKey rsa = (InfisicalPrivateKey) ks.getKey(KmsEmulator.SIGNING_KEY, null);
        Signature signer = Signature.getInstance("INFISICAL-RSA");
        signer.initSign(rsa);
        signer.update(message);
        byte[] rsaSig = signer.sign();
        say("signed " + message.length + " bytes with '" + rsa.keyName() + "' (" + rsa.kmsAlgorithm() + "): "
                + rsaSig.length + "-byte signature");
        Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        boolean rsaOk = verify(jdk, rsa.publicKey(), message, rsaSig);
        say("verified with the JDK's own SunRsaSign (SHA256withRSA) and the handle's public key: "
                + (rsaOk ? "valid" : "INVALID"));
        require(rsaOk, "the RSA signature did not verify");

        step("Sign with a standard name: Signature.getInstance(\"SHA256withECDSA\")");
        InfisicalPrivateKey ec = (InfisicalPrivateKey) ks.getKey(KmsEmulator.EC_SIGNING_KEY, null);
        Signature ecSigner = Signature.getInstance("SHA256withECDSA");
        ecSigner.initSign(ec);
        ecSigner.update(message);
        byte[] ecSig = ecSigner.sign();
        say("the JDK picked provider '" + ecSigner.getProvider().getName() + "' for the Infisical handle '"
                + ec.keyName() + "' (delayed provider selection); " + ecSig.length + "-byte DER signature");
        Signature ecVerifier = Signature.getInstance("SHA256withECDSA");
        boolean ecOk = verify(ecVerifier, ec.publicKey(), message, ecSig);
        say("verified locally (" + ecVerifier.getProvider().getName() + ", no KMS call): "
                + (ecOk ? "valid" : "INVALID"));
        require(ecOk, "the ECDSA signature did not verify");
        byte[] altered = message.clone();
        altered[0] ^= 1;
        boolean alteredOk = verify(Signature.getInstance("SHA256withECDSA"), ec.publicKey(), altered, ecSig);
        say("the same signature over a message with one bit changed: " + (alteredOk ? "VALID (wrong!)" : "invalid"));
        require(!alteredOk, "an altered message verified");

        step("Encrypt and decrypt with INFISICAL-AES (the KMS key itself, aes-256-gcm)");
        Key aesKey = ks.getKey(KmsEmulator.ENCRYPTION_KEY, null);
        byte[] secret = "card ending 4242".getBytes(StandardCharsets.UTF_8);
        Cipher aes = Cipher.getInstance("INFISICAL-AES");
        aes.init(Cipher.ENCRYPT_MODE, aesKey);
        byte[] ct = aes.doFinal(secret);
        aes.init(Cipher.DECRYPT_MODE, aesKey);
        byte[] pt = aes.doFinal(ct);
        say("encrypted " + secret.length + " bytes into " + Wording.a(ct.length + "-byte") + " ciphertext; decrypted back: "
                + (Arrays.equals(secret, pt) ? "same bytes" : "DIFFERENT"));
        require(Arrays.equals(secret, pt), "INFISICAL-AES did not round-trip");

        step("Envelope round trip with INFISICAL-ENVELOPE (a fresh data key per message, wrapped by the KMS key)");
        byte[] big = new byte[1 << 20];
        new SecureRandom().nextBytes(big);
        byte[] aad = "record-42".getBytes(StandardCharsets.UTF_8);
        Cipher env = Cipher.getInstance("INFISICAL-ENVELOPE");
        env.init(Cipher.ENCRYPT_MODE, aesKey);
        env.updateAAD(aad);
        byte[] sealed = env.doFinal(big);
        env.init(Cipher.DECRYPT_MODE, aesKey);
        env.updateAAD(aad);
        byte[] opened = env.doFinal(sealed);
        say("encrypted " + big.length + " bytes (1 MiB) into " + sealed.length + " bytes (header, wrapped data key,"
                + " 64 KiB segments with tags); one KMS call each way");
        say("decrypted back: " + (Arrays.equals(big, opened) ? "same bytes" : "DIFFERENT"));
        require(Arrays.equals(big, opened), "INFISICAL-ENVELOPE did not round-trip");

        step("The KeyStore certificate of the signing key");
        X509Certificate cert = (X509Certificate) ks.getCertificate(KmsEmulator.SIGNING_KEY);
        cert.verify(rsa.publicKey());
        say("subject " + cert.getSubjectX500Principal().getName() + ", serial = key id, valid until "
                + cert.getNotAfter().toInstant() + "; self-signed through the KMS (signature checks out)");

        step("Seal two audit events with the KMS (AuditCrypto + KmsEventSigner, RSASSA_PSS_SHA_256)");
        AuditCrypto audit = AuditCrypto.builder()
                .kms(KmsEventSigner.of(provider, rsa, SigningAlgorithm.RSASSA_PSS_SHA_256))
                .policy(FallbackPolicy.KMS_ONLY).build();
        AuditEvent first = audit.seal(AuditEvent.of("2024-05-01T10:00:00Z", "user.login", "success")
                .with("principalId", "user-1"));
        AuditEvent second = audit.seal(AuditEvent.of("2024-05-01T10:05:00Z", "payment.refund", "success")
                .with("principalId", "user-2").with("targetResourceType", "payment")
                .with("targetResourceId", "pay-1001").with("outcomeDescription", "refunded 120.00"));
        for (AuditEvent e : List.of(first, second)) {
            say("audit seal: " + e.text("action") + ": hash " + e.text(AuditEvent.HASH).substring(0, 16)
                    + "..., " + e.text(AuditEvent.ALGORITHM) + " signature");
        }
        for (AuditEvent e : List.of(first, second)) {
            Verification v = audit.verify(e);
            say("verify " + e.text("action") + ": " + (v.valid() ? "valid" : "INVALID: " + v.reason()));
            require(v.valid(), "a sealed audit event did not verify");
        }
        AuditEvent tampered = second.with("outcomeDescription", "refunded 9120.00");
        Verification t = audit.verify(tampered);
        say("changed outcomeDescription 'refunded 120.00' to 'refunded 9120.00' in the second event, verified again: "
                + (t.valid() ? "VALID (wrong!)" : "tamper detected (" + t.reason() + ")"));
        require(!t.valid(), "a tampered audit event verified");
    }

    private static boolean verify(Signature verifier, PublicKey key, byte[] message, byte[] signature)
            throws GeneralSecurityException {
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
