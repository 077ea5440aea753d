package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalProvider;
import io.github.infisicaljca.kms.KmsApiException;
import io.github.infisicaljca.kms.KmsException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What the key commands share: the provider configured from the environment map, a key found
 * by name (needs {@code INFISICAL_PROJECT_ID}) or id at the least cost in requests, and the
 * {@code --in}/{@code --out} streams.
 */
final class KeyAccess {
    static final String PROJECT_ID = "INFISICAL_PROJECT_ID";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    private final InfisicalConfig config;
    private final InfisicalProvider provider;
    private final Map<String, InfisicalKey> resolved = new HashMap<>();

    private KeyAccess(InfisicalConfig config) {
        this.config = config;
        this.provider = new InfisicalProvider(config);
    }

    /** @throws CliException (usage) naming every problem of the configuration */
    static KeyAccess of(Map<String, String> env) throws CliException {
        try {
            return new KeyAccess(InfisicalConfig.builder().environment(env).systemProperties(new Properties()).build());
        } catch (InfisicalConfigException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    InfisicalConfig config() {
        return config;
    }

    InfisicalProvider provider() {
        return provider;
    }

    /** The project's id; a usage error naming {@code what} needs it when unset. */
    String projectId(String what) throws CliException {
        return config.projectId().orElseThrow(() -> CliException.usage(PROJECT_ID + " is not set: " + what
                + " needs the project"));
    }

    /**
     * The key named or identified by {@code nameOrId}: an id is read directly, a name (which
     * needs the project) with one lookup by name; never a listing of the project, where the
     * server has those routes. A key resolved once is not asked for again in this command.
     */
    InfisicalKey key(String nameOrId) throws CliException {
        if (nameOrId == null) {
            throw CliException.usage("--key is required (a key name, or a key id)");
        }
        InfisicalKey known = resolved.get(nameOrId);
        if (known != null) {
            return known;
        }
        boolean id = UUID.matcher(nameOrId).matches();
        if (!id && config.projectId().isEmpty()) {
            throw CliException.usage("key '" + nameOrId + "' is a name, and a name needs " + PROJECT_ID
                    + " (or give the key id)");
        }
        InfisicalKey key;
        try {
            key = id ? provider.key(nameOrId) : provider.keyByName(nameOrId);
        } catch (KeyException e) {
            if (notFound(e)) {
                throw CliException.failure("no key '" + nameOrId + "'" + config.projectId().map(p -> " in project " + p)
                        .orElse("") + ": " + e.getMessage(), e);
            }
            throw CliException.failure(e.getMessage(), e);
        }
        resolved.put(nameOrId, key);
        return key;
    }

    /**
     * The key refused by the provider ({@code InvalidKeyException} at init): a failure (exit 1)
     * when a KMS call failed behind it, which the JCA can only report that way at init; a usage
     * error when the key itself does not fit.
     */
    static CliException refused(String message, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KmsException) {
                return CliException.failure(message, e);
            }
        }
        return CliException.usage(message);
    }

    private static boolean notFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KmsApiException api && api.isNotFound()) {
                return true;
            }
        }
        return false;
    }

    /** {@code --in FILE}, else {@code stdin}. */
    static InputStream input(Args a, InputStream stdin) throws CliException {
        Path in = a.path("in");
        if (in == null) {
            return stdin;
        }
        try {
            return Files.newInputStream(in);
        } catch (NoSuchFileException e) {
            throw CliException.usage("--in " + in + ": no such file");
        } catch (IOException e) {
            throw CliException.failure("--in " + in + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a command writes: {@code stdout}, or a temporary file beside {@code --out FILE} that
     * {@link #commit} moves into place, so a failed command leaves no partial file.
     */
    static final class Output implements AutoCloseable {
        private final OutputStream stream;
        private final Path target;
        private final Path temporary;
        private boolean committed;

        private Output(OutputStream stream, Path target, Path temporary) {
            this.stream = stream;
            this.target = target;
            this.temporary = temporary;
        }

        static Output of(Args a, OutputStream stdout) throws CliException {
            Path target = a.path("out");
            if (target == null) {
                return new Output(new FilterOutputStream(stdout) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // never closes stdout
                    }
                }, null, null);
            }
            Path dir = target.toAbsolutePath().getParent();
            try {
                Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
                return new Output(Files.newOutputStream(tmp), target, tmp);
            } catch (NoSuchFileException e) {
                throw CliException.usage("--out " + target + ": the directory does not exist");
            } catch (IOException e) {
                throw CliException.failure("--out " + target + ": " + e.getMessage(), e);
            }
        }

        OutputStream stream() {
            return stream;
        }

        void commit() throws IOException {
            stream.close();
            if (temporary != null) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                try {
                    stream.close();
                } finally {
                    if (temporary != null) {
                        Files.deleteIfExists(temporary);
                    }
                }
            }
        }
    }
}
