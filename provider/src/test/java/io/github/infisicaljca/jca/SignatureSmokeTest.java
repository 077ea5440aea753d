package io.github.infisicaljca.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class SignatureSmokeTest {
    @Test
    void signWithTheProviderVerifyWithTheJdk() throws Exception {
        try (EmulatorFixture f = new EmulatorFixture()) {
            InfisicalProvider p = f.provider();
            KeyStore ks = f.keyStore(p);
            assertEquals(4, Collections.list(ks.aliases()).size());
            PrivateKey key = (PrivateKey) ks.getKey(KmsEmulator.SIGNING_KEY, null);
            byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
            Signature s = Signature.getInstance("INFISICAL-RSA", p);
            s.initSign(key);
            s.update(msg);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withRSA", "SunRsaSign");
            v.initVerify(((InfisicalPrivateKey) key).publicKey().jdkPublicKey());
            v.update(msg);
            assertTrue(v.verify(sig));
            X509Certificate cert = (X509Certificate) ks.getCertificate(KmsEmulator.SIGNING_KEY);
            cert.verify(cert.getPublicKey());
            assertEquals("CN=" + KmsEmulator.SIGNING_KEY, cert.getSubjectX500Principal().getName());
        }
    }
}
