package io.github.infisicaljca.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.Fault;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * docs/logging.md's promise that no level logs a secret, in one short run: with the provider's
 * loggers open to ALL, a Universal Auth provider and a static-token provider sign, encrypt,
 * decrypt and MAC against the emulator, through a retried 500 (WARNING), a refused token
 * (INFO, login again) and every exchange (DEBUG); no record, exception or toString holds the
 * client secret, the access token, the plaintext or the HMAC key. (The fault matrix and the
 * concurrency storm check the same across every fault and under load.)
 */
class NoSecretAtAnyLevelTest {
    private static final String PLAINTEXT = "plaintext-that-must-never-be-logged-7c1e";

    @Test
    void noLevelLogsTheClientSecretATokenThePlaintextOrTheHmacKey() throws Exception {
        byte[] hmacKey = new byte[32];
        new SecureRandom().nextBytes(hmacKey);
        try (KmsEmulator kms = KmsEmulator.builder().start();
                SecretHygiene hygiene = new SecretHygiene()) {
            String hmacId = kms.importKey("no-secret-hmac", "HMAC_SHA_256", hmacKey);
            String token = kms.issueToken();
            hygiene.secret("client secret", kms.clientSecret()).secret("access token", token)
                    .secret("plaintext", PLAINTEXT).secret("HMAC key", hmacKey)
                    .secret("HMAC key (hex)", HexFormat.of().formatHex(hmacKey));
            InfisicalConfig.Builder base = InfisicalConfig.builder().withoutAmbientSources().url(kms.url().toString())
                    .projectId(kms.projectId());
            InfisicalProvider universal = new InfisicalProvider(base.clientId(kms.clientId())
                    .clientSecret(kms.clientSecret()).build());
            InfisicalProvider staticToken = new InfisicalProvider(InfisicalConfig.builder().withoutAmbientSources()
                    .url(kms.url().toString()).projectId(kms.projectId()).accessToken(token).build());
            int from = hygiene.logSize();

            kms.inject("POST", "/sign$", Fault.status(500), 1);
            kms.inject("POST", "/encrypt$", Fault.status(401), 1);
            for (InfisicalProvider p : List.of(universal, staticToken)) {
                hygiene.object("provider", p);
                Signature s = Signature.getInstance("SHA256withRSA", p);
                s.initSign((PrivateKey) p.key(kms.signingKeyId()));
                s.update(PLAINTEXT.getBytes(UTF_8));
                s.sign();

                SecretKey aes = (SecretKey) p.key(kms.encryptionKeyId());
                Cipher c = Cipher.getInstance("INFISICAL-AES", p);
                c.init(Cipher.ENCRYPT_MODE, aes);
                byte[] ciphertext = c.doFinal(PLAINTEXT.getBytes(UTF_8));
                Cipher d = Cipher.getInstance("INFISICAL-AES", p);
                d.init(Cipher.DECRYPT_MODE, aes);
                assertArrayEquals(PLAINTEXT.getBytes(UTF_8), d.doFinal(ciphertext));
                hygiene.object("cipher", c);

                Mac mac = Mac.getInstance("INFISICAL-HMAC", p);
                SecretKey hmac = (SecretKey) p.key(hmacId);
                mac.init(hmac);
                mac.doFinal(PLAINTEXT.getBytes(UTF_8));
                hygiene.object("mac", mac);
                hygiene.object("hmac key", hmac);
            }

            Set<Level> levels = hygiene.logOf(Thread.currentThread().getId(), from).stream()
                    .map(SecretHygiene.LogLine::level).collect(Collectors.toSet());
            // Each level the provider uses was produced, so each one was checked.
            assertTrue(levels.containsAll(Set.of(Level.WARNING, Level.INFO, Level.FINE)), "levels logged: " + levels);
            hygiene.assertNoLeaks();
        }
    }
}
