package io.github.infisicaljca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WordingTest {

    @Test
    void countsAgreeInNumber() {
        assertEquals("0 events", Wording.count(0, "event"));
        assertEquals("1 event", Wording.count(1, "event"));
        assertEquals("2 events", Wording.count(2, "event"));
        assertEquals("1 configuration problem", Wording.count(1, "configuration problem"));
        assertEquals("3 keys", Wording.count(3, "key"));
        assertEquals("1 batch", Wording.count(1, "batch", "batches"));
        assertEquals("3 batches", Wording.count(3, "batch", "batches"));
    }

    @ParameterizedTest
    @CsvSource({
        "aes-256-gcm, an", "aes-128-gcm, an", "encrypt-decrypt, an", "RSA_4096, an", "ECC_NIST_P256, an",
        "HMAC_SHA_256, an", "ML_DSA_65, an", "ED25519, an", "sign-verify, a", "generate-verify-mac, a",
        "hmac-sha256, an", "unknown, an", "usage, a", "X.509, an", "48-byte, a", "80-byte, an", "11-byte, an",
        "8-byte, an", "18-byte, an", "100-byte, a", "user, a"})
    void theArticleFitsTheSoundOfTheWord(String word, String article) {
        assertEquals(article + " " + word, Wording.a(word));
    }
}
