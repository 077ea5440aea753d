/** Wycheproof, JCA contract and interop suites; the code lives under {@code src/test}. */
package io.github.infisicaljca.conformance;
