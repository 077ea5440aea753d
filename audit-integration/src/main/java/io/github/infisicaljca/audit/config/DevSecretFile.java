package io.github.infisicaljca.audit.config;

import io.github.infisicaljca.Secret;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The development HMAC secret, kept in one file so that it survives restarts: created once
 * (32 random bytes, base64url, owner-only permissions where POSIX), then always reused. Never a
 * new random secret per start: an existing file is never replaced, and two processes starting
 * together end up with the same secret (the file appears atomically, complete).
 */
final class DevSecretFile {
    static final System.Logger LOG = System.getLogger("io.github.infisicaljca.audit.config");

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DevSecretFile() {
    }

    /** The secret in {@code directory/name}, creating the file (and directories) the first time. */
    static Secret readOrCreate(Path directory, String name, EnvReader problems) {
        Path file = directory.resolve(name);
        try {
            if (!Files.exists(file)) {
                create(directory, file);
            }
            return read(file, problems);
        } catch (IOException e) {
            problems.problem(AuditConfigFactory.AUDIT_CRYPTO_SECRET + " is not set and the development secret file "
                    + file + " cannot be created or read (" + e.getClass().getSimpleName()
                    + "): set " + AuditConfigFactory.AUDIT_CRYPTO_SECRET + " or fix the directory");
            return null;
        }
    }

    /** The file's secret if the file exists and is readable, else {@code null}; never creates anything. */
    static String peek(Path file) {
        try {
            String v = Files.readString(file, StandardCharsets.UTF_8).strip();
            return v.isEmpty() ? null : v;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static void create(Path directory, Path file) throws IOException {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
            Files.createDirectories(directory);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
        // Written in full under a temporary name, then linked into place: the target either does
        // not exist or is complete, and an existing one is never replaced.
        Path tmp = Files.createTempFile(directory, ".dev-audit-secret-", ".tmp", attrs);
        try {
            Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
            if (publish(tmp, file)) {
                LOG.log(Level.WARNING, "Created a DEVELOPMENT audit HMAC secret in " + file
                        + " because " + AuditConfigFactory.AUDIT_CRYPTO_SECRET + " is not set. It is for "
                        + "development only and must NEVER be used in production (or staging): there, set "
                        + AuditConfigFactory.AUDIT_CRYPTO_SECRET + " from your secret store. Later runs reuse "
                        + "this file; deleting it makes events signed with it unverifiable.");
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Puts the temporary file in place unless the target exists; whether it did. */
    private static boolean publish(Path tmp, Path file) throws IOException {
        try {
            Files.createLink(file, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;                       // another process won: use its secret
        } catch (UnsupportedOperationException | FileSystemException e) {
            try {
                Files.move(tmp, file);          // no REPLACE_EXISTING: never overwrites
                return true;
            } catch (FileAlreadyExistsException raced) {
                return false;
            }
        }
    }

    private static Secret read(Path file, EnvReader problems) throws IOException {
        String value = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (value.isEmpty() || Placeholders.isPlaceholder(value)) {
            problems.problem("the development secret file " + file + " holds no usable secret: set "
                    + AuditConfigFactory.AUDIT_CRYPTO_SECRET + ", or delete the file to have a new one created "
                    + "(events signed with the old secret will no longer verify)");
            return null;
        }
        warnIfOpen(file);
        return Secret.of(value);
    }

    private static void warnIfOpen(Path file) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(file));
            perms.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            if (!perms.isEmpty()) {
                LOG.log(Level.WARNING, "The development audit secret file " + file
                        + " is accessible to other users: chmod 600 it");
            }
        } catch (IOException e) {
            // The attribute cannot be read: nothing reliable to warn about.
        }
    }
}
