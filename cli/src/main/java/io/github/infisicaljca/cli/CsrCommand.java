package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.kms.SigningAlgorithm;
import io.github.infisicaljca.pki.CertificationRequest;
import io.github.infisicaljca.pki.SubjectAltName;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * {@code csr --key K --subject DN [--alg A] [--san TYPE:VALUE[,...]]... [--out FILE]}: a PKCS#10
 * certification request for a KMS signing key, signed in the KMS, as PEM. The command line is
 * checked before the KMS is asked, and {@code --out} is written only once the request verified.
 */
final class CsrCommand {
    private static final String EXAMPLE_DN = "CN=build.example.com, O=Example, C=DE";

    private CsrCommand() {
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out) throws CliException, IOException {
        Args a = Args.parse(args, List.of("key", "subject", "alg", "out"), List.of(), List.of("san"));
        if (a.help()) {
            out.println("usage: infisical-jca csr --key K --subject DN [--alg A] [--san TYPE:VALUE[,...]]... [--out FILE]\n"
                    + "  K: a sign-verify key name (with INFISICAL_PROJECT_ID) or id\n"
                    + "  DN: an RFC 2253 name, for example \"" + EXAMPLE_DN + "\"\n"
                    + "  A: " + String.join(", ", KeyCommands.algorithms()) + "\n"
                    + "     (default RSASSA_PKCS1_V1_5_SHA_256 for RSA keys, ECDSA_SHA_256 for EC keys)\n"
                    + "  --san: subjectAltName entries, repeatable or comma-separated: DNS:build.example.com,\n"
                    + "     IP:10.0.0.1, IP:2001:db8::1, email:ops@example.com, URI:https://build.example.com/\n"
                    + "  writes the PEM request to stdout, or to FILE once it is signed and verified");
            return 0;
        }
        X500Principal subject = subject(a.get("subject"));
        List<SubjectAltName> names = subjectAltNames(a.list("san"));
        a.path("out"); // a bad path is a usage error now, not after the KMS signed
        KeyAccess access = KeyAccess.of(env);
        InfisicalPrivateKey key = KeyCommands.signingKey(access, a.get("key"), "sign a certification request");
        SigningAlgorithm alg = KeyCommands.algorithm(a.get("alg"), key);
        CertificationRequest csr;
        try {
            csr = CertificationRequest.builder().subject(subject).subjectAltNames(names).signatureAlgorithm(alg)
                    .build(key);
        } catch (InvalidKeyException e) {
            throw KeyAccess.refused("key " + key.keyName() + " cannot sign with " + alg.wireName() + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw CliException.failure("signing the certification request with key " + key.keyName() + " failed: "
                    + e.getMessage(), e);
        }
        try (KeyAccess.Output o = KeyAccess.Output.of(a, out)) {
            o.stream().write(csr.pem().getBytes(StandardCharsets.US_ASCII));
            o.commit();
        }
        return 0;
    }

    private static X500Principal subject(String dn) throws CliException {
        if (dn == null) {
            throw CliException.usage("--subject DN is required, for example --subject \"" + EXAMPLE_DN + "\"");
        }
        X500Principal subject;
        try {
            subject = new X500Principal(dn);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--subject '" + dn + "' is not a distinguished name (" + e.getMessage()
                    + "); write it as in RFC 2253, for example \"" + EXAMPLE_DN + "\"");
        }
        if (subject.getName().isEmpty()) {
            throw CliException.usage("--subject '" + dn + "' names nothing; give at least CN=...");
        }
        return subject;
    }

    private static List<SubjectAltName> subjectAltNames(List<String> entries) throws CliException {
        List<SubjectAltName> names = new ArrayList<>();
        for (String entry : entries == null ? List.<String>of() : entries) {
            try {
                names.add(SubjectAltName.parse(entry));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--san: " + e.getMessage());
            }
        }
        return names;
    }
}
