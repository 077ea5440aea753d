package io.github.infisicaljca.reliability;

import static io.github.infisicaljca.reliability.FakeInfisical.KEYS;
import static io.github.infisicaljca.reliability.FakeInfisical.MESSAGE;
import static io.github.infisicaljca.reliability.FakeInfisical.RSA_ID;
import static io.github.infisicaljca.reliability.FakeInfisical.SIGNATURE;
import static io.github.infisicaljca.reliability.FakeInfisical.b64;
import static io.github.infisicaljca.reliability.FakeInfisical.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.Secret;
import io.github.infisicaljca.kms.CreateKeyRequest;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.SigningAlgorithm;
import io.github.infisicaljca.reliability.Faithful.Impossible;
import io.github.infisicaljca.reliability.Faithful.Oracle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyException;
import java.security.KeyStore;
import java.security.ProviderException;
import java.security.Signature;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * What {@link MalformedResponseFuzzTest} mutates: each endpoint's base answer (the recorded 2024
 * transcripts where they exist, else a synthetic answer with a real signature, public key and MAC
 * shape), the KmsClient call and its oracle, and, where there is one, the JCA call, its oracle and
 * the exceptions its method declares.
 */
final class FuzzTargets {
    static final String AES_ID = FakeInfisical.AES_ID;
    static final String HMAC_ID = "6d2b9f4e-81a3-4c57-b0e9-3f5a7c1d8e26";
    static final String PROJECT_ID = FakeInfisical.PROJECT_ID;

    interface Call {
        Object run() throws Exception;
    }

    /** One endpoint: its base answer, the client call and oracle, and optionally the JCA call, its oracle and what it may throw. */
    record Target(String name, String method, String path, int status, String body, Call client, Oracle oracle,
            Call jca, Oracle jcaOracle, List<Class<? extends Throwable>> jcaMay) {
    }

    private FuzzTargets() {
    }

    static String publicKeyBody() {
        return "{\"publicKey\":\"" + b64(FakeInfisical.RSA.getPublic().getEncoded()) + "\"}";
    }

    /** Every target, calling {@code client} and, through the JCA, {@code provider} with its handles. */
    static List<Target> all(KmsClient client, InfisicalProvider provider, InfisicalPrivateKey rsa, Key aes, Key hmac)
            throws IOException {
        List<Target> out = new ArrayList<>();
        JsonNode login = transcript("08-universal-auth-login.json");
        out.add(clientOnly("login", login, () -> {
            var t = client.login(FakeInfisical.CLIENT_ID, Secret.of("fuzz-client-secret-0123456789"));
            return List.of(t.accessToken().reveal(), t.expiresIn().getSeconds());
        }, b -> List.of(Faithful.text(b, "accessToken").isEmpty() ? fail("empty token") : Faithful.text(b, "accessToken"),
                Faithful.wholeNumber(b, "expiresIn"))));
        out.add(clientOnly("create-key", transcript("10-kms-create-key-aes256.json"), () -> {
            var k = client.createKey(CreateKeyRequest.builder(PROJECT_ID, "test-aes-256").algorithm("aes-256-gcm").build());
            return k.id() + "/" + k.name();
        }, b -> {
            JsonNode key = Faithful.field(b, "key");
            return Faithful.text(key, "id") + "/" + Faithful.text(key, "name");
        }));

        JsonNode enc = transcript("20-kms-encrypt.json");
        byte[] plaintext = Base64.getDecoder().decode(enc.at("/request/body/plaintext").textValue());
        Oracle ciphertext = b -> {
            Faithful.sameKey(b, AES_ID);
            return Faithful.binary(b, "ciphertext");
        };
        out.add(new Target("encrypt", "POST", enc.at("/request/path").textValue(), 200, body(enc),
                () -> client.encrypt(AES_ID, plaintext), ciphertext,
                () -> cipher(provider, aes, Cipher.ENCRYPT_MODE, plaintext), ciphertext, CIPHER_MAY));

        JsonNode dec = transcript("21-kms-decrypt.json");
        byte[] ct = Base64.getDecoder().decode(dec.at("/request/body/ciphertext").textValue());
        Oracle pt = b -> {
            Faithful.sameKey(b, AES_ID);
            return Faithful.binary(b, "plaintext");
        };
        out.add(new Target("decrypt", "POST", dec.at("/request/path").textValue(), 200, body(dec),
                () -> client.decrypt(AES_ID, ct), pt, () -> cipher(provider, aes, Cipher.DECRYPT_MODE, ct), pt, CIPHER_MAY));

        JsonNode list = transcript("22-kms-list-keys.json");
        out.add(new Target("list-keys", "GET", KEYS, 200, body(list),
                () -> client.listKeys(PROJECT_ID).stream().map(k -> k.id() + "/" + k.name()).collect(Collectors.toList()),
                b -> Faithful.keys(b, "keys"),
                () -> {
                    KeyStore ks = KeyStore.getInstance("INFISICAL", provider);
                    ks.load(null, null);
                    return new TreeSet<>(Collections.list(ks.aliases()));
                }, b -> {
                    TreeSet<String> names = new TreeSet<>();
                    for (String k : Faithful.keys(b, "keys")) {
                        names.add(k.substring(k.indexOf('/') + 1));
                    }
                    return names;
                }, List.of(IOException.class, ProviderException.class)));

        SigningAlgorithm alg = SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256;
        Oracle signature = b -> {
            Faithful.sameKey(b, RSA_ID);
            return Faithful.binary(b, "signature");
        };
        out.add(new Target("sign", "POST", path(RSA_ID, "sign"), 200, FakeInfisical.signBody(RSA_ID, b64(SIGNATURE)),
                () -> client.sign(RSA_ID, alg, MESSAGE, false), signature,
                () -> {
                    Signature s = Signature.getInstance("SHA256withRSA", provider);
                    s.initSign(rsa);
                    s.update(MESSAGE);
                    return s.sign();
                }, b -> {
                    byte[] sig = (byte[]) signature.expect(b);
                    if (!FakeInfisical.verifies(MESSAGE, sig)) {
                        throw new Impossible("the signature does not verify");
                    }
                    return sig;
                }, List.of(SignatureException.class, ProviderException.class)));
        Oracle valid = b -> {
            Faithful.sameKey(b, RSA_ID);
            return Faithful.bool(b, "signatureValid");
        };
        out.add(new Target("verify", "POST", path(RSA_ID, "verify"), 200, FakeInfisical.verifyBody(RSA_ID, true),
                () -> client.verify(RSA_ID, alg, MESSAGE, false, SIGNATURE), valid,
                () -> {
                    Signature s = Signature.getInstance("SHA256withRSA", provider);
                    s.initVerify(rsa.publicKey());
                    s.update(MESSAGE);
                    return s.verify(SIGNATURE);
                }, valid, List.of(SignatureException.class, ProviderException.class)));
        Oracle spki = b -> Faithful.binary(b, "publicKey");
        out.add(new Target("public-key", "GET", path(RSA_ID, "public-key"), 200, publicKeyBody(),
                () -> client.publicKey(RSA_ID), spki,
                // A fresh provider each time: a provider fetches a key's public key once and keeps it.
                () -> ((InfisicalPrivateKey) new InfisicalProvider(provider.config()).key(RSA_ID)).publicKey().getEncoded(),
                spki,
                List.of(KeyException.class, ProviderException.class)));
        out.add(clientOnly("signing-algorithms", Mutations.parse("{\"signingAlgorithms\":[\"RSASSA_PSS_SHA_256\","
                + "\"RSASSA_PSS_SHA_384\",\"RSASSA_PKCS1_V1_5_SHA_256\"]}"), "GET", path(RSA_ID, "signing-algorithms"),
                () -> client.signingAlgorithms(RSA_ID), b -> Faithful.strings(b, "signingAlgorithms")));
        byte[] data = "fuzz mac data".getBytes(StandardCharsets.UTF_8);
        Oracle mac = b -> {
            Faithful.sameKey(b, HMAC_ID);
            return Faithful.binary(b, "mac");
        };
        byte[] macValue = new byte[32];
        Arrays.fill(macValue, (byte) 0x5c);
        out.add(new Target("generate-mac", "POST", path(HMAC_ID, "generate-mac"), 200, "{\"mac\":\"" + b64(macValue)
                + "\",\"keyId\":\"" + HMAC_ID + "\",\"macAlgorithm\":\"HMAC_SHA_256\"}",
                () -> client.generateMac(HMAC_ID, data), mac,
                () -> {
                    Mac m = Mac.getInstance("INFISICAL-HMAC", provider);
                    m.init(hmac);
                    m.update(data);
                    byte[] out2 = new byte[m.getMacLength()];
                    m.doFinal(out2, 0);
                    return out2;
                }, mac, List.of(ProviderException.class, ShortBufferException.class)));

        // The recorded error answers, mutated: still an HTTP error, never a result.
        for (String file : List.of("25-kms-encrypt-with-disabled-key.json", "27-kms-decrypt-tampered.json",
                "28-kms-encrypt-not-base64.json", "29-kms-encrypt-no-auth.json", "30-kms-encrypt-unknown-key.json")) {
            JsonNode e = transcript(file);
            boolean decrypt = e.at("/request/path").textValue().endsWith("/decrypt");
            out.add(new Target(file, "POST", path(AES_ID, decrypt ? "decrypt" : "encrypt"), e.at("/response/status").intValue(),
                    body(e), decrypt ? () -> client.decrypt(AES_ID, ct) : () -> client.encrypt(AES_ID, plaintext),
                    b -> {
                        throw new Impossible("an error answer");
                    }, null, null, null));
        }
        return out;
    }

    static final List<Class<? extends Throwable>> CIPHER_MAY = List.of(IllegalBlockSizeException.class,
            BadPaddingException.class, ShortBufferException.class, ProviderException.class);

    /** A well-behaved caller: an output buffer of exactly getOutputSize bytes. */
    private static byte[] cipher(InfisicalProvider provider, Key aes, int mode, byte[] input) throws Exception {
        Cipher c = Cipher.getInstance("INFISICAL-AES", provider);
        c.init(mode, aes);
        byte[] out = new byte[c.getOutputSize(input.length)];
        int n = c.doFinal(input, 0, input.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    private static Target clientOnly(String name, JsonNode transcript, Call call, Oracle oracle) {
        return new Target(name, transcript.at("/request/method").textValue(), transcript.at("/request/path").textValue()
                .replaceAll("\\?.*", ""), 200, body(transcript), call, oracle, null, null, null);
    }

    private static Target clientOnly(String name, JsonNode body, String method, String path, Call call, Oracle oracle) {
        return new Target(name, method, path, 200, body.toString(), call, oracle, null, null, null);
    }

    private static String body(JsonNode transcript) {
        return transcript.at("/response/body").toString();
    }

    private static Object fail(String why) throws Impossible {
        throw new Impossible(why);
    }

    private static JsonNode transcript(String file) throws IOException {
        try (InputStream in = FuzzTargets.class.getResourceAsStream("/infisical-transcripts-2024-10/" + file)) {
            return Mutations.JSON.readTree(Objects.requireNonNull(in, file));
        }
    }
}
