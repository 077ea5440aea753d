package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.InfisicalConfigException;
import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.InfisicalProvider;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What the key commands share: the provider configured from the environment map, a key found
 * by name (needs {@code INFISICAL_PROJECT_ID}) or id, and the {@code --in}/{@code --out} streams.
 */
final class KeyAccess {
    static final String PROJECT_ID = "INFISICAL_PROJECT_ID";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    private final InfisicalConfig config;
    private final InfisicalProvider provider;

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

    /** The key named or identified by {@code nameOrId}: a name needs the project, an id does not. */
    InfisicalKey key(String nameOrId) throws CliException {
        if (nameOrId == null) {
            throw CliException.usage("--key is required (a key name, or a key id)");
        }
        if (config.projectId().isEmpty()) {
            if (!UUID.matcher(nameOrId).matches()) {
                throw CliException.usage("key '" + nameOrId + "' is a name, and a name needs " + PROJECT_ID
                        + " (or give the key id)");
            }
            try {
                return provider.key(nameOrId);
            } catch (KeyException e) {
                throw CliException.failure(e.getMessage(), e);
            }
        }
        Key key;
        try {
            KeyStore ks = KeyStore.getInstance("INFISICAL", provider);
            ks.load(null, null);
            key = ks.getKey(nameOrId, null);
        } catch (IOException | GeneralSecurityException e) {
            throw CliException.failure("cannot get key '" + nameOrId + "': " + e.getMessage(), e);
        }
        if (key == null) {
            throw CliException.failure("no key '" + nameOrId + "' in project " + config.projectId().get());
        }
        return (InfisicalKey) key;
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
            throw CliException.failure("--in " + in + ": no such file");
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
