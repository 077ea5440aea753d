package io.github.infisicaljca.jca;

import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The services the provider registers. Each is a {@link Provider.Service} that builds its SPI
 * directly (no reflection), and standard names carry {@code SupportedKeyClasses} so that the
 * JCA's delayed provider selection sends ordinary keys to the JDK's providers.
 */
public final class ProviderServices {
    /** The provider's name. */
    public static final String PROVIDER_NAME = "Infisical";

    private static final String HANDLE_CLASSES = "io.github.infisicaljca.InfisicalPrivateKey"
            + "|io.github.infisicaljca.InfisicalPublicKey";

    private static final String ALL_HANDLES = "io.github.infisicaljca.InfisicalSecretKey|" + HANDLE_CLASSES;

    private ProviderServices() {
    }

    /**
     * Every service the provider registers: Signature, Cipher, Mac and KeyStore.
     *
     * @param provider the provider the services belong to
     * @param binding the provider's own binding, resolved on first use (the KeyStore needs it)
     * @return the services, in registration order
     */
    public static List<Provider.Service> all(Provider provider, Supplier<KmsBinding> binding) {
        List<Provider.Service> services = new ArrayList<>();
        for (SignatureScheme s : SignatureScheme.values()) {
            Map<String, String> attributes = s.standardName ? Map.of("SupportedKeyClasses", HANDLE_CLASSES) : Map.of();
            services.add(new SpiService(provider, "Signature", s.jcaName, KmsSignatureSpi.class, s.aliases(), attributes,
                    () -> new KmsSignatureSpi(s)));
        }
        // Every handle, not only secret ones: a handle of the wrong usage then reaches the engine,
        // which names the problem, instead of the JCA's "No installed provider supports this key".
        Map<String, String> anyHandle = Map.of("SupportedKeyClasses", ALL_HANDLES);
        services.add(new SpiService(provider, "Cipher", "INFISICAL-AES", KmsAesCipherSpi.class, List.of("INFISICAL"),
                anyHandle, KmsAesCipherSpi::new));
        services.add(new SpiService(provider, "Cipher", "INFISICAL-ENVELOPE", EnvelopeCipherSpi.class, List.of(),
                anyHandle, EnvelopeCipherSpi::new));
        services.add(new SpiService(provider, "Mac", "INFISICAL-HMAC", KmsMacSpi.class, List.of(), anyHandle,
                KmsMacSpi::new));
        services.add(new SpiService(provider, "KeyStore", "INFISICAL", InfisicalKeyStoreSpi.class, List.of(), Map.of(),
                () -> new InfisicalKeyStoreSpi(binding)));
        return services;
    }

    /** A service whose engine is made by a factory, so engines can take constructor arguments. */
    private static final class SpiService extends Provider.Service {
        private final Supplier<Object> factory;

        SpiService(Provider provider, String type, String algorithm, Class<?> spiClass, List<String> aliases,
                Map<String, String> attributes, Supplier<Object> factory) {
            super(provider, type, algorithm, spiClass.getName(), aliases, attributes);
            this.factory = factory;
        }

        @Override
        public Object newInstance(Object constructorParameter) {
            // The JCA passes a parameter only for engines like CertStore; ours take none, and
            // refuse one as the JDK's own Service.newInstance does for these engine types.
            if (constructorParameter != null) {
                throw new java.security.InvalidParameterException("constructorParameter not used with " + getType()
                        + " engines");
            }
            return factory.get();
        }
    }
}
