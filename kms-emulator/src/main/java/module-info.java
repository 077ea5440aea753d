/**
 * An Infisical-KMS-compatible server with real crypto, for tests and demos. Run it with
 * {@code java -p <module path> -m io.github.infisicaljca.emulator/io.github.infisicaljca.emulator.Main}.
 *
 * <p>Jackson is used through its tree model only, so nothing is opened to it.
 */
module io.github.infisicaljca.emulator {
    requires jdk.httpserver;
    requires com.fasterxml.jackson.databind;

    exports io.github.infisicaljca.emulator;
}
