package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalSecretKey;
import io.github.infisicaljca.kms.KeyUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.ProviderException;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * {@code encrypt} and {@code decrypt}: stdin (or {@code --in}) to stdout (or {@code --out})
 * through {@code INFISICAL-ENVELOPE}, in constant memory. Decryption only ever writes
 * authenticated plaintext; a failure exits 1, and with {@code --out} leaves no file.
 */
final class EnvelopeCommands {
    private static final int BUFFER = 64 * 1024;

    private EnvelopeCommands() {
    }

    static int run(String command, List<String> args, Map<String, String> env, InputStream stdin, PrintStream out)
            throws CliException, IOException {
        boolean encrypt = command.equals("encrypt");
        Args a = Args.parse(args, List.of("key", "in", "out"));
        if (a.help()) {
            out.println("usage: infisical-jca " + command + " --key K [--in FILE] [--out FILE]\n"
                    + "  K: an encrypt-decrypt key's name (with INFISICAL_PROJECT_ID) or id; through INFISICAL-ENVELOPE");
            return 0;
        }
        KeyAccess access = KeyAccess.of(env);
        InfisicalKey key = access.key(a.get("key"));
        if (!(key instanceof InfisicalSecretKey) || key.keyUsage() != KeyUsage.ENCRYPT_DECRYPT) {
            throw CliException.usage("key " + key.keyName() + " (" + key.keyId() + ") is "
                    + Wording.a(key.keyUsage().wireName()) + " key (" + key.kmsAlgorithm() + "), it cannot " + command
                    + ": use an encrypt-decrypt key");
        }
        if (key.metadata().disabled()) {
            throw CliException.failure("key " + key.keyName() + " (" + key.keyId() + ") is disabled");
        }
        try (InputStream in = KeyAccess.input(a, stdin); KeyAccess.Output o = KeyAccess.Output.of(a, out)) {
            Cipher cipher = Cipher.getInstance("INFISICAL-ENVELOPE", access.provider());
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key);
            OutputStream sink = o.stream();
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) != -1; ) {
                write(sink, cipher.update(buf, 0, n));
            }
            write(sink, cipher.doFinal());
            o.commit();
        } catch (AEADBadTagException e) {
            throw CliException.failure("decryption failed: the ciphertext is not authentic (tampered, truncated, "
                    + "or not made with key " + key.keyName() + "): " + e.getMessage(), e);
        } catch (InvalidKeyException e) {
            throw KeyAccess.refused("key " + key.keyName() + " cannot " + command + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw CliException.failure(command + "ion failed: " + e.getMessage(), e);
        }
        return 0;
    }

    private static void write(OutputStream sink, byte[] bytes) throws IOException {
        if (bytes != null && bytes.length > 0) {
            sink.write(bytes);
        }
    }
}
