/**
 * The Infisical JCA provider: Signature, Cipher, Mac and KeyStore services backed by Infisical
 * KMS keys.
 *
 * <p>Exported: {@code io.github.infisicaljca} (the provider, its configuration and the key
 * handle interfaces), {@code io.github.infisicaljca.kms} (the KMS client and the types the
 * API hands out or takes: {@code KmsClient}, {@code KmsKey}, {@code KeyUsage},
 * {@code SigningAlgorithm}, {@code KmsException}) and {@code io.github.infisicaljca.pki}
 * (PKCS#10 certification requests signed in the KMS) and {@code io.github.infisicaljca.tls}
 * (a key manager presenting one KMS key to JSSE) and {@code io.github.infisicaljca.telemetry}
 * (a client's figures: the snapshot and the MXBean interface). The engines and key handle
 * implementations in {@code io.github.infisicaljca.jca} and the DER writer in
 * {@code io.github.infisicaljca.der} stay internal: the provider's services build the engines
 * directly, with no reflection, so the JCA needs no access to those packages. So does
 * {@code io.github.infisicaljca.telemetry.internal}: the recorder and the JFR events.
 *
 * <p>{@code jdk.jfr} and {@code java.management} are required statically: inside
 * {@code jarsigner} and {@code keytool} the boot layer lacks them, and the provider then works
 * without JFR events and without its MBean (it checks for each module before it touches it).
 *
 * <p>Jackson is used through its tree model only ({@code JsonNode}), never to bind this
 * module's classes, so nothing is opened to it, and no Jackson type is part of the API, so it
 * is not required transitively.
 */
module io.github.infisicaljca {
    requires java.net.http;
    requires static jdk.jfr;
    requires static java.management;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;

    exports io.github.infisicaljca;
    exports io.github.infisicaljca.kms;
    exports io.github.infisicaljca.pki;
    exports io.github.infisicaljca.tls;
    exports io.github.infisicaljca.telemetry;

    provides java.security.Provider with io.github.infisicaljca.InfisicalProvider;
}
