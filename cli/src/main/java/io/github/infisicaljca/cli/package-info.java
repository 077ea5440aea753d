/** The {@code ./infisical-jca} command line: demo, dev-server, doctor, key and audit commands. */
package io.github.infisicaljca.cli;
