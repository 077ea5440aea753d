package io.github.infisicaljca;

import io.github.infisicaljca.jca.KeyHandles;
import io.github.infisicaljca.jca.KmsBinding;
import io.github.infisicaljca.jca.ProviderServices;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsOperations;
import io.github.infisicaljca.telemetry.KmsTelemetry;
import java.security.KeyException;
import java.security.Provider;

/**
 * The {@code Infisical} JCA provider: Signature, Cipher, Mac and KeyStore services whose keys
 * stay in Infisical KMS. Register it any of these ways:
 * <ul>
 * <li>{@code security.provider.N=io.github.infisicaljca.InfisicalProvider /path/infisical.properties}
 *     in {@code java.security} (the argument goes to {@link #configure(String)});</li>
 * <li>{@code Security.addProvider(new InfisicalProvider())} (configuration from system properties
 *     and environment) or {@code new InfisicalProvider(config)};</li>
 * <li>{@code jarsigner}/{@code keytool -addprovider Infisical -providerArg /path/infisical.properties}
 *     (found through {@code META-INF/services/java.security.Provider}).</li>
 * </ul>
 * The configuration is resolved once: at construction when given, else on first use. The KMS
 * client is made once and shared by every service of this instance.
 */
public final class InfisicalProvider extends Provider {
    private static final long serialVersionUID = 1L;

    /** The provider name, {@value}: what {@code getInstance(algorithm, "Infisical")} takes. */
    public static final String NAME = ProviderServices.PROVIDER_NAME;

    private final transient LazyBinding binding;

    /** A provider configured from system properties and environment variables, read on first use. */
    public InfisicalProvider() {
        this(new LazyBinding((InfisicalConfig) null));
    }

    /**
     * A provider with this configuration (the contract's "explicit programmatic config").
     *
     * @param config the configuration
     */
    public InfisicalProvider(InfisicalConfig config) {
        this(new LazyBinding(java.util.Objects.requireNonNull(config, "config")));
    }

    /**
     * A provider over an existing client: it shares the client's connections, token and request
     * budget (the rate limits it paces to), so code that also calls {@link KmsClient} directly
     * spends one budget, not two. Closing the client ends this provider's use too.
     *
     * @param client the client to share
     */
    public InfisicalProvider(KmsClient client) {
        this(new LazyBinding(new KmsBinding(java.util.Objects.requireNonNull(client, "client"), client.config())));
    }

    private InfisicalProvider(LazyBinding binding) {
        super(NAME, numericVersion(), "Infisical KMS keys through JCA: Signature (RSA, RSA-PSS, ECDSA), Cipher "
                + "(INFISICAL-AES, INFISICAL-ENVELOPE), Mac (INFISICAL-HMAC) and a read-only KeyStore; "
                + "the keys never leave Infisical");
        this.binding = binding;
        for (Provider.Service s : ProviderServices.all(this, binding::get)) {
            putService(s);
        }
    }

    /**
     * A new provider configured by {@code argument}: a path to a {@code .properties} file, or
     * {@code --} followed by the properties text. Explicit values win over system properties
     * and environment variables.
     *
     * @throws InfisicalConfigException (an {@link java.security.InvalidParameterException}) listing
     *         every problem of the configuration; except while the JDK registers the providers of
     *         {@code java.security}, which drops a provider whose configure throws without a word:
     *         there the provider stays registered, logs the problems once, and every use fails with
     *         them (its {@link #isConfigured()} is {@code false})
     */
    @Override
    public Provider configure(String argument) {
        try {
            return new InfisicalProvider(InfisicalConfig.builder().configure(argument).build());
        } catch (InfisicalConfigException e) {
            if (!calledByJavaSecurityRegistration()) {
                throw e;
            }
            // The JDK would swallow this and drop the provider, leaving only "not available" to
            // see: stay registered, say it now in the log, and fail every use with the reason.
            System.getLogger(InfisicalProvider.class.getName()).log(System.Logger.Level.WARNING,
                    "the Infisical provider registered in java.security is unusable until its configuration is "
                    + "fixed: {0}", e.getMessage());
            return new InfisicalProvider(new LazyBinding(e));
        }
    }

    /** Whether the JDK is loading the providers listed in java.security ({@code security.provider.N}). */
    private static boolean calledByJavaSecurityRegistration() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().startsWith("sun.security.jca.ProviderConfig")));
    }

    /** Whether a usable configuration is present (given, or resolvable from the environment). */
    @Override
    public boolean isConfigured() {
        try {
            binding.get();
            return true;
        } catch (InfisicalConfigException e) {
            return false;
        }
    }

    /**
     * A handle to a key by its id, without a KeyStore (and so without {@code infisical.projectId}):
     * an {@link InfisicalPrivateKey} for a sign-verify key, an {@link InfisicalSecretKey} otherwise.
     *
     * @param keyId the KMS key id (a UUID)
     * @return the handle
     * @throws KeyException naming the key and the server's answer when it cannot be had
     */
    public InfisicalKey key(String keyId) throws KeyException {
        KmsBinding b = binding.get();
        try {
            return KeyHandles.forKey(b, b.operations().getKey(keyId));
        } catch (KmsException e) {
            throw new KeyException("cannot get Infisical key " + keyId + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new KeyException(e.getMessage(), e);
        }
    }

    /**
     * A handle to a key of {@code infisical.projectId} by its name, without a KeyStore: one
     * lookup by name (on 2024 servers, which lack that route, the project's key list instead).
     *
     * @param name the key's name in the project
     * @return the handle
     * @throws KeyException naming the key and the server's answer when it cannot be had, or
     *         when no project is configured
     */
    public InfisicalKey keyByName(String name) throws KeyException {
        KmsBinding b = binding.get();
        String project = b.config().projectId().orElseThrow(() -> new KeyException("cannot get Infisical key '"
                + name + "' by name: infisical.projectId (INFISICAL_PROJECT_ID) is not set; give the key id instead"));
        try {
            return KeyHandles.forKey(b, b.operations().getKeyByName(project, name));
        } catch (KmsException e) {
            throw new KeyException("cannot get Infisical key '" + name + "' of project " + project + ": "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new KeyException(e.getMessage(), e);
        }
    }

    /**
     * What this provider's KMS client has done so far: calls per operation and outcome, latency
     * percentiles, retries, re-logins, rate-limit waits and budgets, data-key cache hits; the
     * figures its MBean ({@code io.github.infisicaljca:type=KmsClient,name=<instance>}) shows.
     *
     * @return an immutable snapshot
     * @throws IllegalStateException when the provider was made on {@link KmsOperations} other
     *     than a {@link KmsClient}, which keep no telemetry
     */
    public KmsTelemetry telemetry() {
        KmsOperations operations = binding.get().operations();
        if (operations instanceof KmsClient) {
            return ((KmsClient) operations).telemetry();
        }
        throw new IllegalStateException("this provider works on " + operations.getClass().getName()
                + ", which keeps no telemetry; only a KmsClient does");
    }

    /** {@return the configuration in use; resolves it now if it was left for first use} */
    public InfisicalConfig config() {
        return binding.get().config();
    }

    @Override
    public String toString() {
        return NAME + " provider " + getVersionStr() + (binding.isResolved() ? " " + binding.get().config() : "");
    }

    private static String numericVersion() {
        String v = Version.current();
        int end = 0;
        while (end < v.length() && (Character.isDigit(v.charAt(end)) || v.charAt(end) == '.')) {
            end++;
        }
        return end == 0 ? "0.0" : v.substring(0, end);
    }

    /**
     * The configuration and client, made once on first need. A bad configuration is not kept:
     * every use fails with its message until the configuration is fixed.
     */
    private static final class LazyBinding {
        private final InfisicalConfig given;
        private final InfisicalConfigException failed;
        private volatile KmsBinding value;

        LazyBinding(InfisicalConfig given) {
            this.given = given;
            this.failed = null;
        }

        /** A binding that can never be made: every use fails with this configuration's problems. */
        LazyBinding(InfisicalConfigException failed) {
            this.given = null;
            this.failed = failed;
        }

        LazyBinding(KmsBinding ready) {
            this.given = ready.config();
            this.failed = null;
            this.value = ready;
        }

        boolean isResolved() {
            return value != null;
        }

        KmsBinding get() {
            KmsBinding v = value;
            if (failed != null) {
                InfisicalConfigException e = new InfisicalConfigException(failed.problems());
                e.initCause(failed);
                throw e;
            }
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        InfisicalConfig config = given != null ? given : InfisicalConfig.fromEnvironment();
                        v = new KmsBinding(KmsClient.create(config), config);
                        value = v;
                    }
                }
            }
            return v;
        }
    }
}
