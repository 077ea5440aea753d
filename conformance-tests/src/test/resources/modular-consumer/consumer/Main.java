package consumer;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.Version;
import io.github.infisicaljca.kms.SigningAlgorithm;
import io.github.infisicaljca.pki.CertificationRequest;
import io.github.infisicaljca.pki.SubjectAltName;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ServiceLoader;
import javax.security.auth.x500.X500Principal;

/**
 * Signs and verifies through the Infisical provider, found once through ServiceLoader and once
 * registered with Security.addProvider. The provider configures itself from the
 * {@code infisical.*} system properties; {@code consumer.keyName} names the RSA signing key.
 * With the argument {@code java.security}, it uses instead the provider that the JDK registered
 * from a {@code security.provider.N} entry (configured by a properties file). Prints one line per
 * check and exits non-zero on the first failure.
 */
public final class Main {
    private static final byte[] MESSAGE = "signed from a named module".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        String keyName = System.getProperty("consumer.keyName");
        Module providerModule = InfisicalProvider.class.getModule();
        check(providerModule.isNamed(), "the provider is not in a named module: " + providerModule);
        System.out.println("module " + providerModule.getName() + " layer " + (providerModule.getLayer() != null));
        System.out.println("exports jca " + providerModule.isExported("io.github.infisicaljca.jca"));
        System.out.println("version " + Version.current());
        if (args.length > 0 && args[0].equals("java.security")) {
            registeredByJavaSecurity(keyName);
            return;
        }

        // 1. ServiceLoader, as the JDK's own provider loading does for `security.provider.N=` entries.
        Provider loaded = null;
        for (Provider p : ServiceLoader.load(Provider.class)) {
            if (p.getName().equals(InfisicalProvider.NAME)) {
                loaded = p;
            }
        }
        check(loaded != null, "ServiceLoader did not find the Infisical provider");
        System.out.println("serviceloader " + loaded.getName() + " " + loaded.getClass().getName() + " in "
                + loaded.getClass().getModule().getName());

        KeyStore store = KeyStore.getInstance("INFISICAL", loaded);
        store.load(null, null);
        Key key = store.getKey(keyName, null);
        check(key instanceof PrivateKey && key instanceof InfisicalKey, "no private key handle for " + keyName);
        System.out.println("handle " + key.getClass().getName() + " encoded " + key.getEncoded());
        PublicKey publicKey = store.getCertificate(keyName).getPublicKey();

        Signature signer = Signature.getInstance("SHA256withRSA", loaded);
        signer.initSign((PrivateKey) key);
        signer.update(MESSAGE);
        byte[] pkcs1 = signer.sign();
        System.out.println("serviceloader sign " + signer.getProvider().getName() + " " + pkcs1.length);
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(publicKey);
        jdk.update(MESSAGE);
        boolean valid = jdk.verify(pkcs1);
        jdk.initVerify(publicKey);
        jdk.update("another message".getBytes(StandardCharsets.UTF_8));
        boolean tampered = jdk.verify(pkcs1);
        System.out.println("serviceloader verify " + jdk.getProvider().getName() + " " + valid + " tampered " + tampered);
        check(valid && !tampered, "the ServiceLoader provider's signature did not verify as it should");

        // 2. Security.addProvider(new InfisicalProvider()), then engines by name alone.
        InfisicalProvider provider = new InfisicalProvider();
        check(Security.addProvider(provider) > 0, "Security.addProvider refused the provider");
        check(Security.getProvider(InfisicalProvider.NAME) == provider, "Security does not return the added provider");
        PrivateKey handle = (PrivateKey) provider.keyByName(keyName);
        Signature pss = Signature.getInstance("INFISICAL-RSA-PSS");
        pss.initSign(handle);
        pss.update(MESSAGE);
        byte[] pssSignature = pss.sign();
        System.out.println("addprovider sign " + pss.getProvider().getName() + " " + pssSignature.length);
        Signature jdkPss = Signature.getInstance("RSASSA-PSS");
        jdkPss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        jdkPss.initVerify(publicKey);
        jdkPss.update(MESSAGE);
        boolean pssValid = jdkPss.verify(pssSignature);
        Signature viaHandle = Signature.getInstance("INFISICAL-RSA-PSS");
        viaHandle.initVerify(publicKey); // the Infisical engine also takes a standard public key
        viaHandle.update(MESSAGE);
        boolean handleValid = viaHandle.verify(pssSignature);
        System.out.println("addprovider verify " + jdkPss.getProvider().getName() + " " + pssValid + " infisical "
                + handleValid);
        check(pssValid && handleValid, "the added provider's PSS signature did not verify");

        // 3. The exported pki package: a PKCS#10 request signed in the KMS (verified inside build).
        CertificationRequest csr = CertificationRequest.builder().subject(new X500Principal("CN=consumer.example"))
                .addSubjectAltName(SubjectAltName.dns("consumer.example"))
                .signatureAlgorithm(SigningAlgorithm.RSASSA_PSS_SHA_256).build((InfisicalPrivateKey) handle);
        System.out.println("pki csr " + csr.signatureAlgorithm() + " " + csr.publicKey().equals(publicKey) + " "
                + csr.pem().startsWith("-----BEGIN CERTIFICATE REQUEST-----\n"));
        System.out.println("done");
    }

    /** The provider of a {@code security.provider.N} entry; a standard name picks it for a handle. */
    private static void registeredByJavaSecurity(String keyName) throws Exception {
        Provider registered = Security.getProvider(InfisicalProvider.NAME);
        check(registered instanceof InfisicalProvider, "java.security did not register the provider");
        System.out.println("java.security " + registered.getClass().getModule().getName() + " configured "
                + ((InfisicalProvider) registered).isConfigured());
        KeyStore store = KeyStore.getInstance("INFISICAL");
        store.load(null, null);
        PrivateKey handle = (PrivateKey) store.getKey(keyName, null);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(handle);
        signer.update(MESSAGE);
        byte[] signature = signer.sign();
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(store.getCertificate(keyName).getPublicKey());
        jdk.update(MESSAGE);
        boolean valid = jdk.verify(signature);
        System.out.println("java.security sign " + signer.getProvider().getName() + " verify "
                + jdk.getProvider().getName() + " " + valid);
        check(valid, "the signature of the java.security provider did not verify");
        System.out.println("done");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
