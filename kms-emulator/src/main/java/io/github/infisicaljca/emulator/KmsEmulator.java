package io.github.infisicaljca.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Infisical-KMS-compatible server with real cryptography, on loopback by default. Start one
 * per test class (or per JVM) and point the client at {@link #url()} with {@link #clientId()}
 * and {@link #clientSecret()}; seeded keys are ready in {@link #projectId()}.
 *
 * <pre>{@code
 * try (KmsEmulator kms = KmsEmulator.builder().start()) {
 *     String url = kms.url().toString();
 *     String signingKey = kms.signingKeyId();
 * }
 * }</pre>
 */
public final class KmsEmulator implements AutoCloseable {
    /** Name of the seeded RSA 4096 sign-verify key in the default project. */
    public static final String SIGNING_KEY = "signing-key";
    /** Name of the seeded EC (NIST P-256) sign-verify key in the default project. */
    public static final String EC_SIGNING_KEY = "ec-signing-key";
    /** Name of the seeded AES-256-GCM encrypt-decrypt key in the default project. */
    public static final String ENCRYPTION_KEY = "encryption-key";
    /** Name of the seeded HMAC-SHA256 key in the default project. */
    public static final String HMAC_KEY = "hmac-key";

    static {
        // Two settings of the JDK's server, read once when the first server in the JVM starts; a value the
        // user set wins. Without TCP_NODELAY, its separate header and body writes meet the client's delayed
        // ACK and every keep-alive request costs ~40 ms. It also closes idle keep-alive connections beyond
        // 200, and clients do not retry a POST on a connection closed under them.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "4096");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpFront front;
    private final KeyRegistry keys;
    private final TokenAuthority auth;
    private final CryptoOperations crypto;
    private final Faults faults;
    private final OffsetClock clock;
    private final ServerProfile profile;
    private final Set<String> projects;
    private final String projectId;
    private final String clientId;
    private final String clientSecret;
    private final URI url;

    private KmsEmulator(Builder b) throws IOException {
        SecureRandom random = new SecureRandom();
        this.clock = new OffsetClock();
        this.projects = ConcurrentHashMap.newKeySet();
        StateFile.State saved = b.stateDirectory == null ? null : StateFile.load(b.stateDirectory);
        this.projectId = saved != null ? saved.projectId() : b.projectId != null ? b.projectId : UUID.randomUUID().toString();
        projects.add(projectId);
        this.keys = new KeyRegistry(saved != null ? saved.orgId() : UUID.randomUUID().toString(), clock);
        this.auth = new TokenAuthority(clock, random, b.profile, b.tokenTtl, b.tokenMaxTtl);
        this.clientId = saved != null ? saved.clientId() : b.clientId != null ? b.clientId : UUID.randomUUID().toString();
        this.clientSecret = saved != null ? saved.clientSecret()
                : b.clientSecret != null ? b.clientSecret : auth.randomText(24);
        auth.addIdentity(clientId, clientSecret);
        this.crypto = new CryptoOperations(random, b.limits);
        this.faults = new Faults();
        this.front = new HttpFront(new KmsApi(keys, auth, crypto, b.profile, projects), faults, b.profile, clock);
        front.rateLimits(b.rateLimits);
        this.profile = b.profile;
        if (saved != null) {
            for (EmulatedKey k : saved.keys()) {
                requireOffered(k.spec(), "the state in " + b.stateDirectory + " holds key " + k.name() + ", but ");
                projects.add(k.projectId());
                keys.restore(k);
            }
        } else if (b.seed) {
            seed(SIGNING_KEY, KeySpec.RSA_4096);
            seed(EC_SIGNING_KEY, KeySpec.ECC_NIST_P256);
            seed(ENCRYPTION_KEY, KeySpec.AES_256_GCM);
            seed(HMAC_KEY, KeySpec.HMAC_SHA_256);
        }
        this.server = bind(b, saved);
        if (b.stateDirectory != null) {
            Path dir = b.stateDirectory;
            int port = server.getAddress().getPort();
            Runnable save = () -> StateFile.save(dir, new StateFile.State(keys.orgId(), projectId, clientId, clientSecret,
                    port, keys.all()));
            keys.onChange(save);
            try {
                save.run();
            } catch (RuntimeException e) {
                server.stop(0);
                throw e;
            }
        }
        AtomicInteger threads = new AtomicInteger();
        // Direct hand-off to a large pool: injected latency must not queue requests behind each other.
        this.executor = new ThreadPoolExecutor(4, b.maxThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "kms-emulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", front);
        server.setExecutor(executor);
        server.start();
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        this.url = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
    }

    /**
     * Listens on the builder's port, else on the one a saved state kept (so that the URL handed
     * out before stays valid), else on a free one. A kept port that is taken is an error naming
     * it rather than a silent move, which would break every configuration that holds the URL.
     */
    private static HttpServer bind(Builder b, StateFile.State saved) throws IOException {
        boolean kept = b.port == null && saved != null && saved.port() != null;
        int port = b.port != null ? b.port : kept ? saved.port() : 0;
        try {
            return HttpServer.create(new InetSocketAddress(b.bindAddress, port), 1024);
        } catch (BindException e) {
            if (!kept) {
                throw e;
            }
            throw new UncheckedIOException("port " + port + " on " + b.bindAddress.getHostAddress() + " is in use; it is"
                    + " the port kept in " + b.stateDirectory.resolve(StateFile.NAME) + " so that the URL handed out"
                    + " before stays valid: free it, or choose another port, which is then kept instead", e);
        }
    }

    /** Creates a seeded key, if the profile's server has keys of its kind (the 2024 one has only AES keys). */
    private void seed(String name, KeySpec spec) {
        if (profile.offers(spec)) {
            String what = spec.usage == KeySpec.Usage.SIGN_VERIFY ? " signing key" : " key";
            keys.add(projectId, name, "seeded " + spec.wire + what, spec, crypto.generate(spec));
        }
    }

    private void requireOffered(KeySpec spec, String context) {
        if (!profile.offers(spec)) {
            throw new IllegalArgumentException(context + ServerProfile.aesOnly(spec.wire + " keys"));
        }
    }

    /** {@return a builder with the defaults: loopback, a free port, the current profile, seeded keys} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return which server the emulator imitates} */
    public ServerProfile profile() {
        return profile;
    }

    /** {@return the base URL, without {@code /api}: what {@code infisical.url} takes} */
    public URI url() {
        return url;
    }

    /** {@return the TCP port the emulator listens on} */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@return the Universal Auth client id of the default machine identity} */
    public String clientId() {
        return clientId;
    }

    /** {@return the Universal Auth client secret of the default machine identity} */
    public String clientSecret() {
        return clientSecret;
    }

    /** {@return the id of the default project, which holds the seeded keys} */
    public String projectId() {
        return projectId;
    }

    /**
     * The id of a seeded key by name (see the constants), or of any key in the default project.
     *
     * @param name the key's name
     * @return the key's id
     */
    public String keyId(String name) {
        return keys.byName(projectId, name).id();
    }

    /**
     * The seeded RSA key's id.
     *
     * @return the id of {@link #SIGNING_KEY}
     * @throws IllegalStateException in the {@link ServerProfile#INFISICAL_2024} profile, which has no signing keys
     */
    public String signingKeyId() {
        if (!profile.signingAndMacKeys()) {
            throw new IllegalStateException(ServerProfile.aesOnly("signing key")
                    + " (use ServerProfile.CURRENT for sign-verify and MAC keys)");
        }
        return keyId(SIGNING_KEY);
    }

    /** {@return the id of the seeded AES key, {@link #ENCRYPTION_KEY}} */
    public String encryptionKeyId() {
        return keyId(ENCRYPTION_KEY);
    }

    /** {@return a ready access token for the default identity, for clients configured with a static token} */
    public String issueToken() {
        return auth.issue(clientId);
    }

    /**
     * Adds another machine identity that can log in.
     *
     * @param clientId its Universal Auth client id
     * @param clientSecret its Universal Auth client secret
     */
    public void addIdentity(String clientId, String clientSecret) {
        auth.addIdentity(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
    }

    /**
     * Adds another project; keys can then be created in it.
     *
     * @return the new project's id
     */
    public String addProject() {
        String id = UUID.randomUUID().toString();
        projects.add(id);
        return id;
    }

    /**
     * Lifetimes of tokens issued from now on (the server's defaults are 30 days each).
     *
     * @param ttl how long a token is valid before it must be renewed
     * @param maxTtl how long renewals can extend it in total
     */
    public void tokenLifetimes(Duration ttl, Duration maxTtl) {
        auth.setLifetimes(ttl, maxTtl);
    }

    /**
     * Moves the emulator's clock forward, so tokens expire and rate limit windows end without waiting.
     *
     * @param d how far to move it
     */
    public void advanceTime(Duration d) {
        clock.advance(d);
    }

    /**
     * Applies these payload size limits from now on.
     *
     * @param limits the largest plaintext and data the server accepts
     */
    public void payloadLimits(PayloadLimits limits) {
        crypto.limits(Objects.requireNonNull(limits));
    }

    /**
     * Applies these rate limits from now on, with every counter back at zero; null lifts them.
     * See {@link Builder#rateLimits(RateLimits)}.
     *
     * @param limits the limits, or null for none
     */
    public void rateLimits(RateLimits limits) {
        front.rateLimits(limits);
    }

    /** {@return the rate limits in force, or null when there are none} */
    public RateLimits rateLimits() {
        return front.rateLimits();
    }

    /**
     * Test hook: imports known key material so that known-answer vectors run through the full
     * HTTP path. {@code material} is a {@link KeyPair} for sign-verify algorithms (RSA 4096 bits,
     * EC on the named curve) or the raw key bytes for AES and HMAC.
     *
     * @param name the key's name in the default project
     * @param algorithm Infisical's algorithm name, for example {@code RSA_4096} or {@code aes-256-gcm}
     * @param material the key material
     * @return the new key's id
     */
    public String importKey(String name, String algorithm, Object material) {
        KeySpec spec = KeySpec.fromWire(algorithm);
        if (spec == null) {
            throw new IllegalArgumentException("unknown key algorithm " + algorithm);
        }
        requireOffered(spec, "");
        return keys.add(projectId, name, "imported " + algorithm + " key", spec, KeyImport.material(spec, material)).id();
    }

    /**
     * Adds latency to every request: fixed when min equals max, else uniformly jittered.
     *
     * @param min the shortest added delay
     * @param max the longest added delay
     */
    public void latency(Duration min, Duration max) {
        faults.latency(min, max);
    }

    /**
     * Injects a fault into requests whose method (null for any) and path (a regex searched in
     * the path without query, for example {@code /sign$}) match.
     *
     * @param method the HTTP method, or null for any
     * @param pathRegex a regex searched in the request path
     * @param fault what the matching requests get
     * @param times how many requests it hits; negative for every one
     */
    public void inject(String method, String pathRegex, Fault fault, int times) {
        faults.add(method, pathRegex, fault, times);
    }

    /** Removes every fault and the latency. */
    public void clearFaults() {
        faults.clear();
    }

    /** {@return the most recent requests (up to 10,000), oldest first} */
    public List<RecordedRequest> requests() {
        return front.requests();
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        front.clearRequests();
    }

    /** Stops at once; connections in flight are closed. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "KmsEmulator{url=" + url + ", projectId=" + projectId + ", clientId=" + clientId
                + ", clientSecret=***MASKED***}";
    }

    /** Options; {@link #start()} validates them and starts the server. */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private Integer port;
        private ServerProfile profile = ServerProfile.CURRENT;
        private PayloadLimits limits = PayloadLimits.LEGACY_4096;
        private RateLimits rateLimits;
        private Duration tokenTtl = Duration.ofDays(30);
        private Duration tokenMaxTtl = Duration.ofDays(30);
        private boolean seed = true;
        private int maxThreads = 1024;
        private String projectId;
        private String clientId;
        private String clientSecret;
        private Path stateDirectory;

        private Builder() {
        }

        /**
         * Keeps the identity, project, keys (with their material) and port in this directory
         * across restarts: read at start, rewritten after every change. The port kept is used
         * unless {@link #port(int)} names one, which is then kept instead. For development only:
         * the file holds private keys (it is made readable by its owner only).
         *
         * @param directory the state directory, created when missing
         * @return this builder
         */
        public Builder stateDirectory(Path directory) {
            this.stateDirectory = Objects.requireNonNull(directory);
            return this;
        }

        /**
         * 0 picks a free port. Without this, the port kept in the {@link #stateDirectory state
         * directory}, if any, else a free one.
         *
         * @param port the TCP port, 0..65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            this.port = port;
            return this;
        }

        /**
         * Loopback by default; anything else exposes an unauthenticated-by-TLS test server.
         *
         * @param address the address to listen on
         * @return this builder
         */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address);
            return this;
        }

        /**
         * Which server to imitate; default {@link ServerProfile#CURRENT}.
         *
         * @param profile the server profile
         * @return this builder
         */
        public Builder profile(ServerProfile profile) {
            this.profile = Objects.requireNonNull(profile);
            return this;
        }

        /**
         * Payload size limits; default {@link PayloadLimits#LEGACY_4096}.
         *
         * @param limits the largest plaintext and data the server accepts
         * @return this builder
         */
        public Builder payloadLimits(PayloadLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * Limits requests as Infisical does (per client address and route pattern, reads and
         * writes apart, fixed windows on the emulator's clock), refusing the excess with the
         * profile's answer: a 500 on the 2024 server, a 429 RateLimitError on newer ones. Null,
         * the default, means no limits; {@link RateLimits#selfHostedDefault()} is what a
         * self-hosted server applies.
         *
         * @param limits the limits, or null for none
         * @return this builder
         */
        public Builder rateLimits(RateLimits limits) {
            this.rateLimits = limits;
            return this;
        }

        /**
         * Lifetimes of issued tokens; default 30 days each, as on the server.
         *
         * @param ttl how long a token is valid before it must be renewed, positive
         * @param maxTtl how long renewals can extend it in total, at least {@code ttl}
         * @return this builder
         */
        public Builder tokenLifetimes(Duration ttl, Duration maxTtl) {
            if (ttl.isNegative() || ttl.isZero() || maxTtl.compareTo(ttl) < 0) {
                throw new IllegalArgumentException("token lifetimes need 0 < ttl <= maxTtl");
            }
            this.tokenTtl = ttl;
            this.tokenMaxTtl = maxTtl;
            return this;
        }

        /**
         * Whether to create the seeded keys (an RSA, an EC, an AES and an HMAC key; only the AES
         * key in the {@link ServerProfile#INFISICAL_2024} profile). Default true.
         *
         * @param seed whether to seed the keys
         * @return this builder
         */
        public Builder seedKeys(boolean seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Most requests served at once; default 1024.
         *
         * @param maxThreads the request thread pool's size, at least 4
         * @return this builder
         */
        public Builder maxThreads(int maxThreads) {
            if (maxThreads < 4) {
                throw new IllegalArgumentException("maxThreads must be at least 4");
            }
            this.maxThreads = maxThreads;
            return this;
        }

        /**
         * The default project's id; default a random UUID.
         *
         * @param projectId the project id
         * @return this builder
         */
        public Builder projectId(String projectId) {
            this.projectId = projectId;
            return this;
        }

        /**
         * The default machine identity's credentials; default random ones.
         *
         * @param clientId its Universal Auth client id
         * @param clientSecret its Universal Auth client secret
         * @return this builder
         */
        public Builder credentials(String clientId, String clientSecret) {
            this.clientId = Objects.requireNonNull(clientId);
            this.clientSecret = Objects.requireNonNull(clientSecret);
            return this;
        }

        /**
         * Validates the options and starts the server.
         *
         * @return the running emulator; close it to stop it
         * @throws java.io.UncheckedIOException when the server cannot listen
         */
        public KmsEmulator start() {
            try {
                return new KmsEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the KMS emulator on port " + (port == null ? 0 : port), e);
            }
        }
    }
}
