/**
 * A byte-compatible port of the smart-logs audit {@code CryptoService} (event hash, signature,
 * verification) built only on standard JCA primitives.
 */
package io.github.infisicaljca.audit;
