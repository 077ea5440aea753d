/**
 * PKI objects made with Infisical KMS keys: {@link io.github.infisicaljca.pki.CertificationRequest}
 * builds a PKCS#10 certification request for a signing key and has the KMS sign it, with
 * {@link io.github.infisicaljca.pki.SubjectAltName} entries for its subjectAltName extension.
 */
package io.github.infisicaljca.pki;
