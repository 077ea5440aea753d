package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.kms.KmsClient;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.KmsKey;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.ProviderException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code keys}, {@code sign} and {@code verify}. */
final class KeyCommands {
    private static final int BUFFER = 64 * 1024;

    private KeyCommands() {
    }

    /** {@code keys}: the project's keys, sorted by name. */
    static int keys(List<String> args, Map<String, String> env, PrintStream out) throws CliException {
        Args a = Args.parse(args, List.of());
        if (a.help()) {
            out.println("usage: infisical-jca keys\n  lists the keys of INFISICAL_PROJECT_ID: name, id, usage, algorithm");
            return 0;
        }
        KeyAccess access = KeyAccess.of(env);
        String project = access.projectId("keys");
        List<KmsKey> keys;
        try (KmsClient client = KmsClient.create(access.config())) {
            keys = new ArrayList<>(client.listKeys(project));
        } catch (KmsException e) {
            throw CliException.failure("cannot list the keys of project " + project + ": " + e.getMessage(), e);
        }
        keys.sort(Comparator.comparing(KmsKey::name).thenComparing(KmsKey::id));
        String[][] rows = new String[keys.size() + 1][];
        rows[0] = new String[] {"NAME", "ID", "USAGE", "ALGORITHM", ""};
        for (int i = 0; i < keys.size(); i++) {
            KmsKey k = keys.get(i);
            // Names and algorithms are the server's text: escaped before the widths are measured.
            rows[i + 1] = new String[] {TerminalText.safe(k.name()), TerminalText.safe(k.id()),
                k.keyUsage().wireName(), TerminalText.safe(String.valueOf(k.algorithm())), k.disabled() ? "disabled" : ""};
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int c = 0; c < 4; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < 4; c++) {
                b.append(String.format("%-" + width[c] + "s  ", r[c]));
            }
            b.append(r[4]);
            out.println(b.toString().stripTrailing());
        }
        return 0;
    }

    /** {@code sign --key K [--alg A] [--in FILE] [--out FILE] [--base64]}. */
    static int sign(List<String> args, Map<String, String> env, InputStream stdin, PrintStream out)
            throws CliException, IOException {
        Args a = Args.parse(args, List.of("key", "alg", "in", "out"), List.of("base64"));
        if (a.help()) {
            out.println("usage: infisical-jca sign --key K [--alg A] [--in FILE] [--out FILE] [--base64]\n"
                    + "  K: a key name (with INFISICAL_PROJECT_ID) or id; A: " + String.join(", ", algorithms())
                    + "\n  (default RSASSA_PKCS1_V1_5_SHA_256 for RSA keys, ECDSA_SHA_256 for EC keys)");
            return 0;
        }
        KeyAccess access = KeyAccess.of(env);
        InfisicalPrivateKey key = signingKey(access, a.get("key"), "sign");
        SigningAlgorithm alg = algorithm(a.get("alg"), key);
        byte[] signature;
        try (InputStream in = KeyAccess.input(a, stdin)) {
            Signature s = Signature.getInstance(alg.wireName(), access.provider());
            s.initSign(key);
            stream(in, s);
            signature = s.sign();
        } catch (InvalidKeyException e) {
            throw KeyAccess.refused("key " + key.keyName() + " cannot sign with " + alg.wireName() + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw CliException.failure("signing failed: " + e.getMessage(), e);
        }
        try (KeyAccess.Output o = KeyAccess.Output.of(a, out)) {
            o.stream().write(a.flag("base64")
                    ? (Base64.getEncoder().encodeToString(signature) + "\n").getBytes(StandardCharsets.US_ASCII)
                    : signature);
            o.commit();
        }
        return 0;
    }

    /** {@code verify --key K --signature FILE [--alg A] [--in FILE] [--base64]}: exit 0 valid, 1 not. */
    static int verify(List<String> args, Map<String, String> env, InputStream stdin, PrintStream out,
            PrintStream err) throws CliException, IOException {
        Args a = Args.parse(args, List.of("key", "signature", "alg", "in"), List.of("base64"));
        if (a.help()) {
            out.println("usage: infisical-jca verify --key K --signature FILE [--alg A] [--in FILE] [--base64]\n"
                    + "  exit 0: the signature is valid; 1: it is not. --base64: FILE holds base64 text");
            return 0;
        }
        Path sigFile = a.path("signature");
        if (sigFile == null) {
            throw CliException.usage("--signature FILE is required");
        }
        byte[] signature;
        try {
            signature = Files.readAllBytes(sigFile);
        } catch (NoSuchFileException e) {
            throw CliException.usage("--signature " + sigFile + ": no such file");
        }
        if (a.flag("base64")) {
            try {
                signature = Base64.getMimeDecoder().decode(new String(signature, StandardCharsets.US_ASCII).strip());
            } catch (IllegalArgumentException e) {
                throw CliException.failure("--signature " + sigFile + " is not base64: " + e.getMessage());
            }
        }
        KeyAccess access = KeyAccess.of(env);
        InfisicalPrivateKey key = signingKey(access, a.get("key"), "verify");
        SigningAlgorithm alg = algorithm(a.get("alg"), key);
        boolean valid;
        try (InputStream in = KeyAccess.input(a, stdin)) {
            Signature s = Signature.getInstance(alg.wireName(), access.provider());
            s.initVerify(key.publicKey());
            stream(in, s);
            try {
                valid = s.verify(signature);
            } catch (SignatureException e) {
                err.println("infisical-jca: invalid signature (" + TerminalText.safe(e.getMessage()) + ")");
                return CliException.FAILURE;
            }
        } catch (InvalidKeyException e) {
            throw KeyAccess.refused("key " + key.keyName() + " cannot verify " + alg.wireName() + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw CliException.failure("verification failed: " + e.getMessage(), e);
        }
        if (!valid) {
            err.println("infisical-jca: invalid signature (key " + TerminalText.safe(key.keyName()) + ", "
                    + alg.wireName() + ")");
            return CliException.FAILURE;
        }
        err.println("valid signature (key " + TerminalText.safe(key.keyName()) + ", " + alg.wireName() + ")");
        return 0;
    }

    private static void stream(InputStream in, Signature s) throws IOException, SignatureException {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) != -1; ) {
            s.update(buf, 0, n);
        }
    }

    static InfisicalPrivateKey signingKey(KeyAccess access, String nameOrId, String what)
            throws CliException {
        InfisicalKey key = access.key(nameOrId);
        if (!(key instanceof InfisicalPrivateKey)) {
            throw CliException.usage("key " + key.keyName() + " (" + key.keyId() + ") is "
                    + Wording.a(key.keyUsage().wireName()) + " key (" + key.kmsAlgorithm() + "), it cannot " + what
                    + ": use a sign-verify key");
        }
        if (key.metadata().disabled()) {
            throw CliException.failure("key " + key.keyName() + " (" + key.keyId() + ") is disabled");
        }
        return (InfisicalPrivateKey) key;
    }

    /** {@code --alg}, else RSASSA_PKCS1_V1_5_SHA_256 (RSA) or ECDSA_SHA_256 (EC); checked against the key. */
    static SigningAlgorithm algorithm(String name, InfisicalPrivateKey key) throws CliException {
        boolean ec = key instanceof ECKey;
        if (name == null) {
            return ec ? SigningAlgorithm.ECDSA_SHA_256 : SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256;
        }
        SigningAlgorithm alg = SigningAlgorithm.fromWire(name).orElseThrow(() -> CliException.usage("--alg '" + name
                + "' is not an Infisical signing algorithm (known: " + String.join(", ", algorithms()) + ")"));
        if ((alg.family() == SigningAlgorithm.Family.ECDSA) != ec) {
            throw CliException.usage("--alg " + alg.wireName() + " does not fit key " + key.keyName() + " ("
                    + key.kmsAlgorithm() + ")");
        }
        return alg;
    }

    static List<String> algorithms() {
        return Arrays.stream(SigningAlgorithm.values()).map(SigningAlgorithm::wireName).toList();
    }
}
