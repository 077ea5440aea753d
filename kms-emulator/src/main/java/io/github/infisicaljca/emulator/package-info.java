/**
 * An Infisical-KMS-compatible HTTP server with real cryptography, for tests, the demo and
 * users' own tests. It shares no code with the provider: it is the second, independent
 * reading of the Infisical API.
 */
package io.github.infisicaljca.emulator;
