package io.github.infisicaljca.telemetry;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.kms.KmsClient;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Run by {@link TelemetryWithoutJfrAndJmxTest} in a JVM whose boot layer lacks {@code jdk.jfr}
 * and {@code java.management}, as inside jarsigner: signs through the provider and prints what
 * it saw. Names no type of either module.
 */
public final class WithoutJfrAndJmxProbe {
    private WithoutJfrAndJmxProbe() {
    }

    /**
     * Signs once.
     *
     * @param args the emulator's URL, client id, client secret and a signing key's id
     * @throws Exception when anything fails (the parent sees the exit status and the trace)
     */
    public static void main(String[] args) throws Exception {
        System.out.println("jdk.jfr=" + ModuleLayer.boot().findModule("jdk.jfr").isPresent()
                + " java.management=" + ModuleLayer.boot().findModule("java.management").isPresent());
        InfisicalConfig config = InfisicalConfig.builder().withoutAmbientSources().url(args[0]).clientId(args[1])
                .clientSecret(args[2]).build();
        try (KmsClient client = KmsClient.create(config)) {
            InfisicalProvider provider = new InfisicalProvider(client);
            Signature s = Signature.getInstance("SHA256withRSA", provider);
            s.initSign((PrivateKey) provider.key(args[3]));
            s.update("signed without JFR and JMX".getBytes(StandardCharsets.UTF_8));
            System.out.println("signature bytes=" + s.sign().length);
            KmsTelemetry t = client.telemetry();
            System.out.println("sign calls=" + t.operation("sign").successes());
        }
    }
}
