/**
 * TLS with Infisical KMS keys: {@link io.github.infisicaljca.tls.AliasKeyManager} makes the
 * JDK's own key manager over a KeyStore (the {@code INFISICAL} one lists every key of the
 * project) present one chosen key.
 */
package io.github.infisicaljca.tls;
