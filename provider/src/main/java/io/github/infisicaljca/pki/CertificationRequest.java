package io.github.infisicaljca.pki;

import io.github.infisicaljca.InfisicalPrivateKey;
import io.github.infisicaljca.der.Der;
import io.github.infisicaljca.jca.AlgorithmIdentifiers;
import io.github.infisicaljca.jca.HandleSigning;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * A PKCS#10 certification request (RFC 2986) for an Infisical KMS signing key, signed in the
 * KMS: the private key never leaves it. Immutable; made by {@link #builder()}.
 *
 * <pre>{@code
 * CertificationRequest csr = CertificationRequest.builder()
 *         .subject(new X500Principal("CN=build.example.com, O=Example, C=DE"))
 *         .addSubjectAltName(SubjectAltName.dns("build.example.com"))
 *         .signatureAlgorithm(SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256)
 *         .build(handle); // an InfisicalPrivateKey from the INFISICAL KeyStore
 * String pem = csr.pem();
 * }</pre>
 */
public final class CertificationRequest {
    private static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14"; // PKCS#9
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    /** The Name SEQUENCE with no RDNs. */
    private static final byte[] EMPTY_NAME = {0x30, 0x00};
    private static final int PEM_LINE = 64;

    private final byte[] encoded;
    private final X500Principal subject;
    private final List<SubjectAltName> subjectAltNames;
    private final SigningAlgorithm signatureAlgorithm;
    private final PublicKey publicKey;

    private CertificationRequest(byte[] encoded, X500Principal subject, List<SubjectAltName> subjectAltNames,
            SigningAlgorithm signatureAlgorithm, PublicKey publicKey) {
        this.encoded = encoded;
        this.subject = subject;
        this.subjectAltNames = subjectAltNames;
        this.signatureAlgorithm = signatureAlgorithm;
        this.publicKey = publicKey;
    }

    /** {@return a builder with nothing set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the DER CertificationRequest (a fresh copy)} */
    public byte[] encoded() {
        return encoded.clone();
    }

    /**
     * The request as PEM: {@code -----BEGIN CERTIFICATE REQUEST-----}, base64 in lines of 64
     * characters, {@code -----END CERTIFICATE REQUEST-----}, each line ending in a newline.
     *
     * @return the PEM text
     */
    public String pem() {
        String base64 = Base64.getMimeEncoder(PEM_LINE, new byte[] {'\n'}).encodeToString(encoded);
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + base64 + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** {@return the subject name} */
    public X500Principal subject() {
        return subject;
    }

    /** {@return the requested subjectAltName entries, in order; empty when none} */
    public List<SubjectAltName> subjectAltNames() {
        return subjectAltNames;
    }

    /** {@return the algorithm the request is signed with} */
    public SigningAlgorithm signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** {@return the subject public key: the KMS key's public half, as a plain JDK key} */
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String toString() {
        return "CertificationRequest{subject=" + subject.getName() + ", subjectAltNames=" + subjectAltNames
                + ", signatureAlgorithm=" + signatureAlgorithm + ", publicKey=" + publicKey.getAlgorithm() + "}";
    }

    /** Collects the request's contents; {@link #build} checks them, signs in the KMS and verifies. */
    public static final class Builder {
        private X500Principal subject;
        private final List<SubjectAltName> subjectAltNames = new ArrayList<>();
        private SigningAlgorithm signatureAlgorithm;

        private Builder() {
        }

        /**
         * Sets the subject, for example {@code new X500Principal("CN=build.example.com, O=Example")}.
         *
         * @param subject the subject name; required, not empty
         * @return this builder
         */
        public Builder subject(X500Principal subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
            return this;
        }

        /**
         * Replaces the subjectAltName entries, which go into a PKCS#9 extensionRequest.
         *
         * @param names the entries, in order; none for no extensionRequest
         * @return this builder
         */
        public Builder subjectAltNames(Collection<SubjectAltName> names) {
            List<SubjectAltName> copy = List.copyOf(names); // null entries fail here, not in build()
            subjectAltNames.clear();
            subjectAltNames.addAll(copy);
            return this;
        }

        /**
         * Adds one subjectAltName entry after those already set.
         *
         * @param name the entry
         * @return this builder
         */
        public Builder addSubjectAltName(SubjectAltName name) {
            subjectAltNames.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * Sets the algorithm the KMS signs the request with; it must fit the key (RSA or EC).
         *
         * @param algorithm the Infisical signing algorithm; required
         * @return this builder
         */
        public Builder signatureAlgorithm(SigningAlgorithm algorithm) {
            this.signatureAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * Builds the request for {@code key}, has the KMS sign it, and verifies the result
         * with the JDK from its own encoding, so a request that would not verify is never
         * returned.
         *
         * @param key the KMS signing key's private-key handle, from the INFISICAL KeyStore or
         *     {@code InfisicalProvider}
         * @return the signed request
         * @throws IllegalStateException if the subject or the signature algorithm is not set,
         *     or the subject is empty
         * @throws InvalidKeyException if the algorithm does not fit the key, or the key is not
         *     the Infisical provider's handle
         * @throws SignatureException if the KMS signature does not verify with the key
         * @throws GeneralSecurityException if the KMS cannot sign (the cause names why)
         */
        public CertificationRequest build(InfisicalPrivateKey key) throws GeneralSecurityException {
            Objects.requireNonNull(key, "key");
            if (subject == null) {
                throw new IllegalStateException("the subject is not set");
            }
            byte[] name = subject.getEncoded();
            if (Arrays.equals(name, EMPTY_NAME)) {
                throw new IllegalStateException("the subject is an empty name; a certification request needs one");
            }
            SigningAlgorithm algorithm = signatureAlgorithm;
            if (algorithm == null) {
                throw new IllegalStateException("the signature algorithm is not set");
            }
            boolean ec = key instanceof ECKey;
            if ((algorithm.family() == SigningAlgorithm.Family.ECDSA) != ec) {
                throw new InvalidKeyException(algorithm + " does not fit key " + key.keyName() + " ("
                        + key.kmsAlgorithm() + "): it needs " + (ec ? "an RSA" : "an EC") + " key");
            }
            PublicKey publicKey = key.publicKey().jdkPublicKey();
            byte[] spki = publicKey.getEncoded();
            if (!"X.509".equals(publicKey.getFormat()) || spki == null) {
                throw new InvalidKeyException("the public key of " + key.keyName()
                        + " has no X.509 (SubjectPublicKeyInfo) encoding");
            }
            List<SubjectAltName> names = List.copyOf(subjectAltNames);
            byte[] info = Der.sequence(Der.integer(0), name, spki, attributes(names));
            byte[] signature = HandleSigning.sign(key, algorithm, info);
            byte[] encoded = Der.sequence(info, AlgorithmIdentifiers.signature(algorithm), Der.bitString(signature));
            verify(encoded, algorithm, publicKey.getAlgorithm());
            return new CertificationRequest(encoded, subject, names, algorithm, publicKey);
        }

        /** {@code [0] IMPLICIT SET OF Attribute}: empty, or one extensionRequest holding subjectAltName. */
        private static byte[] attributes(List<SubjectAltName> names) {
            if (names.isEmpty()) {
                return Der.tlv(0xA0, new byte[0]);
            }
            byte[][] generalNames = names.stream().map(SubjectAltName::encoded).toArray(byte[][]::new);
            // The subject is never empty here, so RFC 5280 4.2.1.6 leaves the extension non-critical.
            byte[] extension = Der.sequence(Der.oid(SUBJECT_ALT_NAME), Der.octetString(Der.sequence(generalNames)));
            byte[] extensionRequest = Der.sequence(Der.oid(EXTENSION_REQUEST), Der.setOf(Der.sequence(extension)));
            return Der.tlv(0xA0, extensionRequest);
        }

        /**
         * Reads the request back as a relying party would: the signed bytes, the algorithm and
         * the public key all come from {@code encoded}, and the JDK verifies.
         */
        private static void verify(byte[] encoded, SigningAlgorithm algorithm, String keyAlgorithm)
                throws GeneralSecurityException {
            Der.Element outer = Der.Element.read(encoded, 0);
            Der.Element info = Der.Element.read(encoded, outer.start());
            Der.Element algorithmId = Der.Element.read(encoded, info.end());
            Der.Element bits = Der.Element.read(encoded, algorithmId.end());
            byte[] infoBytes = Arrays.copyOfRange(encoded, outer.start(), info.end());
            Der.Element version = Der.Element.read(encoded, info.start());
            Der.Element subjectName = Der.Element.read(encoded, version.end());
            Der.Element spki = Der.Element.read(encoded, subjectName.end());
            PublicKey key = KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(
                    Arrays.copyOfRange(encoded, subjectName.end(), spki.end())));
            Signature verifier = HandleSigning.jdkVerifier(algorithm, key);
            verifier.update(infoBytes);
            if (!verifier.verify(Arrays.copyOfRange(encoded, bits.start() + 1, bits.end()))) {
                throw new SignatureException("the KMS signature (" + algorithm + ") of the certification request does"
                        + " not verify with the key's public key");
            }
        }
    }
}
