/**
 * The DER writer shared by the provider's certificate and certification request builders.
 * Internal: not exported by the module.
 */
package io.github.infisicaljca.der;
