/** Side-by-side ratio benchmarks of the provider against the emulator on loopback. */
package io.github.infisicaljca.benchmarks;
