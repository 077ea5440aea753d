package io.github.infisicaljca.reliability;

import io.github.infisicaljca.EnvelopeParameterSpec;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.emulator.KmsEmulator;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One storm thread: a seeded mix of operations through the shared provider, each checked
 * against an answer computed without the provider (the JDK's verifiers and HMAC) or against
 * this thread's own input. Every datum carries {@link #MARKER}, this thread's index and the
 * operation's index, so a result that belongs to another thread is recognised as cross-talk.
 */
final class StormWorker implements Runnable {
    /** Starts every plaintext and message; 24 bytes, so its base64 also starts every base64 of them. */
    static final String MARKER = "STORM-PLAINTEXT-MARKER::";

    enum Op { RSA_SIGN, EC_SIGN, LOCAL_VERIFY, AES, ENVELOPE, ENVELOPE_CACHED, HMAC, EXPECTED_FAILURE, KEYSTORE }

    /** Envelope with 4 KiB segments and the shared data-key cache (one wrap per 500 messages). */
    static final EnvelopeParameterSpec CACHED = EnvelopeParameterSpec.builder().segmentSize(4096)
            .dataKeyCache(500, Duration.ofMinutes(30)).build();

    /** What every thread shares: read-only, except the counters. */
    static final class Shared {
        InfisicalProvider provider;
        InfisicalPrivateKey rsa;
        InfisicalPrivateKey ec;
        InfisicalSecretKey aes;
        InfisicalSecretKey hmac;
        PublicKey rsaJdk;
        PublicKey ecJdk;
        byte[] hmacKeyBytes;
        String hmacAlias;
        Set<String> aliases;
        /** Loaded once and shared by every thread. */
        KeyStore keyStore;
        /** Signatures made through the provider before the storm and checked by the JDK. */
        List<Made> rsaSignatures;
        List<Made> ecSignatures;
        StormSecretHygiene hygiene;
        int opsPerThread;
        /** Called by the thread whose operation completes with this global count (the token expiry). */
        long triggerAt;
        LongConsumer trigger;

        final AtomicLong completed = new AtomicLong();
        final LongAdder wrong = new LongAdder();
        final LongAdder crossTalk = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder cpuNanos = new LongAdder();
        final LongAdder[] perOp = new LongAdder[Op.values().length];
        final ConcurrentLinkedQueue<String> firstProblems = new ConcurrentLinkedQueue<>();

        Shared() {
            for (int i = 0; i < perOp.length; i++) {
                perOp[i] = new LongAdder();
            }
        }

        void problem(String what) {
            if (firstProblems.size() < 20) {
                firstProblems.add(what);
            }
        }
    }

    /** A signature and its message, for the local-verify operation. */
    record Made(boolean rsa, byte[] message, byte[] signature) {
    }

    private final Shared s;
    private final int thread;
    private final Random random;
    private final List<Made> made = new ArrayList<>();

    StormWorker(Shared shared, int thread, long seed) {
        this.s = shared;
        this.thread = thread;
        this.random = new Random(seed);
    }

    /** The signatures this worker made (before the storm: the shared pool). */
    List<Made> made() {
        return List.copyOf(made);
    }

    @Override
    public void run() {
        for (int i = 0; i < s.opsPerThread; i++) {
            Op op = choose();
            try {
                boolean ok = run(op, i);
                if (!ok) {
                    s.wrong.increment();
                    s.problem("wrong result: thread " + thread + " op " + i + " " + op);
                }
            } catch (Throwable t) {
                s.failures.increment();
                s.hygiene.checkThrowable("storm exception", t);
                s.problem("thread " + thread + " op " + i + " " + op + ": " + t);
            }
            s.perOp[op.ordinal()].increment();
            if (s.completed.incrementAndGet() == s.triggerAt) {
                s.trigger.accept(s.triggerAt);
            }
        }
        s.cpuNanos.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
    }

    /**
     * Per mille. Remote calls cost this 2-core machine ~0.8 ms of CPU each (HttpClient and the
     * emulator's HttpServer in one JVM), remote RSA-4096 signing ~7 ms more and a JDK P-256
     * verification ~1 ms: the mix keeps about 33,000 remote calls in the 128,000 operations.
     */
    private Op choose() {
        int r = random.nextInt(1000);
        return r < 3 ? Op.RSA_SIGN : r < 23 ? Op.EC_SIGN : r < 273 ? Op.LOCAL_VERIFY : r < 333 ? Op.AES
                : r < 353 ? Op.ENVELOPE : r < 583 ? Op.ENVELOPE_CACHED : r < 643 ? Op.HMAC : r < 646 ? Op.EXPECTED_FAILURE
                : Op.KEYSTORE;
    }

    private boolean run(Op op, int i) throws Exception {
        switch (op) {
            case RSA_SIGN:
                return sign(true, i);
            case EC_SIGN:
                return sign(false, i);
            case LOCAL_VERIFY:
                return localVerify();
            case AES:
                return aes(i);
            case ENVELOPE:
                return envelope(i, null);
            case ENVELOPE_CACHED:
                return envelope(i, CACHED);
            case HMAC:
                return hmac(i);
            case EXPECTED_FAILURE:
                return expectedFailure(i);
            default:
                return keyStore();
        }
    }

    private byte[] datum(String kind, int i, int minFiller, int maxFiller) {
        byte[] head = (MARKER + kind + " t=" + thread + " i=" + i + " |").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + minFiller + random.nextInt(maxFiller - minFiller + 1));
        for (int k = head.length; k < out.length; k++) {
            out[k] = (byte) (' ' + random.nextInt(95)); // printable, so a leak is searchable as text
        }
        return out;
    }

    /** Signs remotely through the provider; the JDK, with the key's public half, is the judge. */
    boolean sign(boolean rsa, int i) throws Exception {
        byte[] message = datum(rsa ? "rsa" : "ec", i, 0, 600);
        String name = rsa ? (random.nextBoolean() ? "SHA256withRSA" : "INFISICAL-RSA")
                : (random.nextBoolean() ? "SHA256withECDSA" : "INFISICAL-ECDSA");
        Signature signer = Signature.getInstance(name, s.provider);
        signer.initSign(rsa ? s.rsa : s.ec);
        signer.update(message);
        byte[] signature = signer.sign();
        s.hygiene.checkToString("Signature", signer);
        Signature judge = rsa ? Signature.getInstance("SHA256withRSA", "SunRsaSign")
                : Signature.getInstance("SHA256withECDSA", "SunEC");
        judge.initVerify(rsa ? s.rsaJdk : s.ecJdk);
        judge.update(message);
        if (!judge.verify(signature)) {
            return false;
        }
        if (made.size() >= 16) {
            made.remove(random.nextInt(made.size()));
        }
        made.add(new Made(rsa, message, signature));
        return true;
    }

    /**
     * Local verification through the provider, with the handle's public key or a plain JDK one:
     * true for a signed message (one made before the storm, or one this thread made), and, one
     * time in four, false once the message is altered. Nine in ten are RSA (a JDK P-256
     * verification costs five times an RSA one here).
     */
    private boolean localVerify() throws Exception {
        boolean rsa = random.nextInt(10) != 0;
        List<Made> own = made.stream().filter(m -> m.rsa == rsa).collect(Collectors.toList());
        List<Made> pool = !own.isEmpty() && random.nextBoolean() ? own : rsa ? s.rsaSignatures : s.ecSignatures;
        Made m = pool.get(random.nextInt(pool.size()));
        boolean viaHandle = random.nextBoolean();
        PublicKey key = rsa ? (viaHandle ? s.rsa.publicKey() : s.rsaJdk) : (viaHandle ? s.ec.publicKey() : s.ecJdk);
        boolean standardName = viaHandle && random.nextBoolean(); // standard names take handles only
        Signature v = Signature.getInstance(rsa ? (standardName ? "SHA256withRSA" : "INFISICAL-RSA")
                : (standardName ? "SHA256withECDSA" : "INFISICAL-ECDSA"), s.provider);
        v.initVerify(key);
        v.update(m.message);
        if (!v.verify(m.signature)) {
            return false;
        }
        if (random.nextInt(4) != 0) {
            return true;
        }
        byte[] altered = m.message.clone();
        altered[MARKER.length() + random.nextInt(altered.length - MARKER.length())] ^= 0x01;
        v.update(altered);
        return !v.verify(m.signature);
    }

    /** INFISICAL-AES round trip of a plaintext only this thread and operation could have. */
    private boolean aes(int i) throws Exception {
        byte[] plaintext = datum("aes", i, 1, 1000);
        Cipher c = Cipher.getInstance(random.nextBoolean() ? "INFISICAL-AES" : "INFISICAL", s.provider);
        c.init(Cipher.ENCRYPT_MODE, s.aes);
        byte[] ciphertext = c.doFinal(plaintext);
        s.hygiene.checkToString("Cipher", c);
        Cipher d = Cipher.getInstance("INFISICAL-AES", s.provider);
        d.init(Cipher.DECRYPT_MODE, s.aes);
        return same(plaintext, d.doFinal(ciphertext));
    }

    /**
     * INFISICAL-ENVELOPE round trip of a few KB, with AAD naming this thread and operation;
     * with {@link #CACHED}, several 4 KiB segments and data keys shared through the cache.
     */
    private boolean envelope(int i, EnvelopeParameterSpec spec) throws Exception {
        byte[] plaintext = datum(spec == null ? "envelope" : "cached", i, 1000, 6000);
        byte[] aad = ("t=" + thread + " i=" + i).getBytes(StandardCharsets.UTF_8);
        Cipher c = Cipher.getInstance("INFISICAL-ENVELOPE", s.provider);
        c.init(Cipher.ENCRYPT_MODE, s.aes, spec);
        c.updateAAD(aad);
        byte[] ciphertext = c.doFinal(plaintext);
        Cipher d = Cipher.getInstance("INFISICAL-ENVELOPE", s.provider);
        d.init(Cipher.DECRYPT_MODE, s.aes, spec);
        d.updateAAD(aad);
        s.hygiene.checkToString("Cipher", d);
        return same(plaintext, d.doFinal(ciphertext));
    }

    /** INFISICAL-HMAC against the JDK's HmacSHA256 with the imported key's bytes. */
    private boolean hmac(int i) throws Exception {
        byte[] message = datum("hmac", i, 0, 1000);
        Mac mac = Mac.getInstance("INFISICAL-HMAC", s.provider);
        mac.init(s.hmac);
        byte[] tag = mac.doFinal(message);
        s.hygiene.checkToString("Mac", mac);
        Mac jdk = Mac.getInstance("HmacSHA256", "SunJCE");
        jdk.init(new SecretKeySpec(s.hmacKeyBytes, "HmacSHA256"));
        return Arrays.equals(jdk.doFinal(message), tag);
    }

    /**
     * The KeyStore: one time in 25 a fresh one, loaded (one listing call); else the shared
     * one: its aliases, the imported HMAC key by name, and the EC key's certificate (made once,
     * through the KMS, by whichever thread asks first).
     */
    private boolean keyStore() throws Exception {
        KeyStore ks = s.keyStore;
        if (random.nextInt(25) == 0) {
            ks = KeyStore.getInstance("INFISICAL", s.provider);
            ks.load(null, null);
        }
        Set<String> aliases = new TreeSet<>(Collections.list(ks.aliases()));
        Key k = ks.getKey(s.hmacAlias, null);
        s.hygiene.checkToString("KeyStore key", k);
        boolean ok = aliases.equals(s.aliases) && ks.containsAlias(s.hmacAlias) && k instanceof InfisicalSecretKey
                && ((InfisicalSecretKey) k).keyId().equals(s.hmac.keyId());
        if (ks == s.keyStore && ok) {
            Certificate cert = ks.getCertificate(KmsEmulator.EC_SIGNING_KEY);
            ok = cert != null && Arrays.equals(cert.getPublicKey().getEncoded(), s.ecJdk.getEncoded());
        }
        return ok;
    }

    /**
     * Failures by design, so that exception messages and cause chains made under load pass the
     * hygiene check too: a tampered INFISICAL-AES ciphertext (the server refuses it, HTTP 500,
     * one retry, then AEADBadTagException), and plaintexts over the limits of INFISICAL-AES and
     * INFISICAL-HMAC (refused locally). The wrong exception, or none, is a wrong result.
     */
    private boolean expectedFailure(int i) throws Exception {
        int kind = random.nextInt(3);
        Cipher c = Cipher.getInstance("INFISICAL-AES", s.provider);
        c.init(Cipher.ENCRYPT_MODE, s.aes);
        try {
            if (kind == 0) {
                byte[] ciphertext = c.doFinal(datum("tampered", i, 1, 200));
                ciphertext[random.nextInt(ciphertext.length - 3)] ^= 0x01; // IV, body or tag; not the "v01" trailer
                c.init(Cipher.DECRYPT_MODE, s.aes);
                c.doFinal(ciphertext);
            } else if (kind == 1) {
                c.doFinal(datum("oversized", i, 4100, 4200));
            } else {
                Mac mac = Mac.getInstance("INFISICAL-HMAC", s.provider);
                mac.init(s.hmac);
                mac.update(datum("oversized-mac", i, 4100, 4200));
                mac.doFinal();
            }
            return false;
        } catch (AEADBadTagException | IllegalBlockSizeException | IllegalStateException e) {
            s.hygiene.checkThrowable("expected " + e.getClass().getSimpleName(), e);
            return kind == 0 ? e instanceof AEADBadTagException
                    : kind == 1 ? e instanceof IllegalBlockSizeException : e instanceof IllegalStateException;
        }
    }

    /** Equal, or not; and when not, whether the result is some other thread's datum (cross-talk). */
    private boolean same(byte[] expected, byte[] actual) {
        if (Arrays.equals(expected, actual)) {
            return true;
        }
        String text = new String(actual, StandardCharsets.ISO_8859_1);
        if (text.startsWith(MARKER) && !text.contains(" t=" + thread + " i=")) {
            s.crossTalk.increment();
        }
        return false;
    }
}
