package io.github.infisicaljca.jca;

import io.github.infisicaljca.InfisicalKey;
import io.github.infisicaljca.VerifyMode;
import io.github.infisicaljca.kms.KmsException;
import io.github.infisicaljca.kms.SigningAlgorithm;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * One Signature engine for every name in {@link SignatureScheme}. Signing sends the message
 * (or, past the payload limit, its digest) to the KMS. Verifying is local with the JDK's
 * providers (with a handle's cached public key or any standard public key), or remote for a
 * handle when {@code infisical.verify=remote}.
 *
 * <p>With the provider first in line, an engine can meet an ordinary key: the JCA fixes the
 * provider as soon as a caller sets parameters before {@code init} (JJWT and Nimbus do for
 * PS256), before it has seen the key. Under a standard name such a key is handed, with the
 * parameters, to the JDK's engine for the same algorithm, so ordinary keys keep working.
 */
final class KmsSignatureSpi extends SignatureSpi {
    private enum Mode { NONE, SIGN, VERIFY_LOCAL, VERIFY_REMOTE, ORDINARY_KEY }

    private final SignatureScheme scheme;
    private SigningAlgorithm algorithm;
    private Mode mode = Mode.NONE;
    private HandleBase handle;
    private PublicKey localKey;
    private LocalVerifier local;
    /** While signing: the handle's public key, fed the same message, to check the server's answer. */
    private LocalVerifier answerCheck;
    /** The last verifier built, kept across inits so that its JDK engine is reused. */
    private LocalVerifier spare;
    private MessageAccumulator message;
    /** The parameters last set, kept for an ordinary key, whatever they are. */
    private AlgorithmParameterSpec params;
    /** Why {@link #params} cannot be used with a handle; null when they can (or none were set). */
    private InvalidAlgorithmParameterException paramsProblem;
    /** The JDK's engine doing the work for an ordinary key. */
    private java.security.Signature ordinary;

    KmsSignatureSpi(SignatureScheme scheme) {
        this.scheme = scheme;
        this.algorithm = scheme.algorithm;
    }

    @Override
    protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
        engineInitSign(key, null);
    }

    @Override
    protected void engineInitSign(PrivateKey key, SecureRandom random) throws InvalidKeyException {
        // Only a key that makes no claim to be Infisical's is ordinary: an InfisicalKey of another
        // implementation is refused below, never sent to the JDK.
        if (key != null && !(key instanceof InfisicalKey) && scheme.standardName) {
            delegate(key, random);
            return;
        }
        if (!(key instanceof PrivateKeyHandle)) {
            throw new InvalidKeyException(scheme.jcaName + " signs only with an Infisical private-key handle (from the "
                    + "INFISICAL KeyStore), not " + describe(key));
        }
        checkKeyType(key);
        checkParamsFitHandle(key);
        start(Mode.SIGN, (HandleBase) key, null); // PSS randomness comes from the server
    }

    @Override
    protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
        if (key == null) {
            throw new InvalidKeyException(scheme.jcaName + ": the public key is null");
        }
        if (!(key instanceof InfisicalKey) && paramsProblem != null) {
            delegate(key, null); // parameters Infisical never produces, but the JDK verifies
            return;
        }
        checkKeyType(key);
        checkParamsFitHandle(key);
        if (key instanceof PublicKeyHandle) {
            PublicKeyHandle h = (PublicKeyHandle) key;
            boolean remote = h.binding().config().verify() == VerifyMode.REMOTE;
            start(remote ? Mode.VERIFY_REMOTE : Mode.VERIFY_LOCAL, h, remote ? null : h.jdkPublicKey());
        } else {
            start(Mode.VERIFY_LOCAL, null, key);
        }
    }

    private void delegate(java.security.Key key, SecureRandom random) throws InvalidKeyException {
        mode = Mode.NONE;
        handle = null;
        message = null;
        SigningAlgorithm fixed = scheme.algorithm;
        String name = fixed == null ? "RSASSA-PSS" : SignatureScheme.jdkName(fixed);
        AlgorithmParameterSpec p = params != null || fixed == null
                || fixed.family() != SigningAlgorithm.Family.RSA_PSS ? params : SignatureScheme.pssSpec(fixed);
        ordinary = JdkSignatures.initialised(name, p, key, random);
        mode = Mode.ORDINARY_KEY;
    }

    private void checkParamsFitHandle(java.security.Key key) throws InvalidKeyException {
        if (paramsProblem != null) {
            throw new InvalidKeyException(paramsProblem.getMessage() + " (set before init; they fit only an "
                    + "ordinary key, not " + describe(key) + ")", paramsProblem);
        }
    }

    private void start(Mode newMode, HandleBase newHandle, PublicKey newLocalKey) throws InvalidKeyException {
        mode = Mode.NONE;
        ordinary = null;
        handle = newHandle;
        localKey = newLocalKey;
        spare = local != null ? local : answerCheck != null ? answerCheck : spare;
        local = null;
        answerCheck = null;
        message = null;
        if (algorithm == null) {
            // RSASSA-PSS before setParameter: keep the key; the engine is armed once parameters arrive.
            mode = newMode;
            return;
        }
        arm(newMode);
    }

    private void arm(Mode newMode) throws InvalidKeyException {
        if (newMode == Mode.VERIFY_LOCAL) {
            local = LocalVerifier.reuse(spare, algorithm, localKey);
        } else {
            message = new MessageAccumulator(algorithm, handle.binding().config().maxPayloadBytes(),
                    newMode == Mode.SIGN ? "sign" : "verify");
            answerCheck = newMode == Mode.SIGN
                    ? LocalVerifier.reuse(spare, algorithm, ((PrivateKeyHandle) handle).publicHandle().jdkPublicKey())
                    : null;
        }
        mode = newMode;
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
        engineUpdate(new byte[] {b}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
        requireReady();
        if (mode == Mode.ORDINARY_KEY) {
            ordinary.update(b, off, len);
        } else if (mode == Mode.VERIFY_LOCAL) {
            local.update(b, off, len);
        } else {
            message.update(b, off, len);
            if (answerCheck != null) {
                answerCheck.update(b, off, len);
            }
        }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        requireReady();
        if (mode == Mode.ORDINARY_KEY) {
            return ordinary.sign();
        }
        if (mode != Mode.SIGN) {
            throw new SignatureException(scheme.jcaName + " was initialised for verification, not signing");
        }
        boolean checkerReset = false; // verify() resets the checker; every other way out must reset it here
        try {
            MessageAccumulator.Payload p = message.finish();
            byte[] signature;
            try {
                signature = handle.binding().operations().sign(handle.keyId(), algorithm, p.data(), p.isDigest());
            } catch (KmsException e) {
                throw new SignatureException(e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new SignatureException(scheme.jcaName + " with key " + handle.keyId() + ": " + e.getMessage(), e);
            }
            // Never hand out a signature that does not verify (truncated, garbled, or another key's).
            boolean valid;
            try {
                valid = answerCheck.verify(signature);
                checkerReset = true;
            } catch (SignatureException e) {
                valid = false;
            }
            if (!valid) {
                KmsException bad = new KmsException(KmsException.Kind.MALFORMED_RESPONSE, "sign", handle.keyId(),
                        "the server's signature (" + signature.length + " bytes) does not verify under the key's "
                                + "public key", null);
                throw new SignatureException(bad.getMessage(), bad);
            }
            return signature;
        } finally {
            if (!checkerReset) {
                answerCheck.reset();
            }
        }
    }

    @Override
    protected boolean engineVerify(byte[] signature) throws SignatureException {
        requireReady();
        if (mode == Mode.SIGN) {
            throw new SignatureException(scheme.jcaName + " was initialised for signing, not verification");
        }
        if (mode == Mode.ORDINARY_KEY) {
            return ordinary.verify(signature);
        }
        if (mode == Mode.VERIFY_LOCAL) {
            return local.verify(signature); // resets itself, as the JDK engine does
        }
        MessageAccumulator.Payload p = message.finish();
        if (signature == null || signature.length == 0) {
            return false;
        }
        try {
            return handle.binding().operations().verify(handle.keyId(), algorithm, p.data(), p.isDigest(), signature);
        } catch (KmsException e) {
            throw new SignatureException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new SignatureException(scheme.jcaName + " with key " + handle.keyId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec newParams) throws InvalidAlgorithmParameterException {
        SigningAlgorithm chosen = null;
        InvalidAlgorithmParameterException problem = null;
        try {
            chosen = PssParameters.choose(scheme, newParams);
        } catch (InvalidAlgorithmParameterException e) {
            problem = e;
        }
        if (mode == Mode.ORDINARY_KEY) {
            ordinary.setParameter(newParams);
            keep(newParams, chosen, problem);
            return;
        }
        boolean ordinaryPublicKey = mode == Mode.VERIFY_LOCAL && handle == null;
        // Only RSASSA-PSS takes any PSS parameters (its JDK engine does too); fixed names refuse
        // others whatever the key, as the JDK's and BouncyCastle's engines do.
        boolean anyPss = scheme.algorithm == null && newParams instanceof PSSParameterSpec;
        if (problem != null && (!anyPss || (mode != Mode.NONE && !ordinaryPublicKey))) {
            throw problem;
        }
        keep(newParams, chosen, problem);
        if (problem != null) {
            // Parameters Infisical never produces: fine for an ordinary key, which the JDK's
            // engine takes (with no key yet, the key may still be an ordinary one).
            if (ordinaryPublicKey) {
                try {
                    delegate(localKey, null);
                } catch (InvalidKeyException e) {
                    throw new InvalidAlgorithmParameterException(e.getMessage(), e);
                }
            }
            return;
        }
        if (algorithm != null && mode != Mode.NONE) {
            try {
                arm(mode);
            } catch (InvalidKeyException e) {
                throw new InvalidAlgorithmParameterException(e.getMessage(), e);
            }
        }
    }

    private void keep(AlgorithmParameterSpec newParams, SigningAlgorithm chosen, InvalidAlgorithmParameterException problem) {
        params = newParams;
        paramsProblem = problem;
        if (chosen != null) {
            algorithm = chosen;
        }
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        if (mode == Mode.ORDINARY_KEY) {
            return ordinary.getParameters();
        }
        if (algorithm == null || algorithm.family() != SigningAlgorithm.Family.RSA_PSS) {
            return null;
        }
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("RSASSA-PSS");
            ap.init(SignatureScheme.pssSpec(algorithm));
            return ap;
        } catch (GeneralSecurityException e) {
            throw new ProviderException("the JDK cannot represent RSASSA-PSS parameters", e);
        }
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException(scheme.jcaName + " has no string-named parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException(scheme.jcaName + " has no string-named parameters");
    }

    private void requireReady() throws SignatureException {
        if (mode == Mode.NONE) {
            throw new SignatureException(scheme.jcaName + " is not initialised: call initSign or initVerify first");
        }
        if (mode != Mode.ORDINARY_KEY && (algorithm == null || (local == null && message == null))) {
            throw new SignatureException("RSASSA-PSS needs its parameters first: call setParameter with a "
                    + "PSSParameterSpec (MGF1, the same hash, salt = digest length)");
        }
    }

    private void checkKeyType(java.security.Key key) throws InvalidKeyException {
        boolean rsa = key instanceof RSAKey || "RSA".equals(key.getAlgorithm()) || "RSASSA-PSS".equals(key.getAlgorithm());
        boolean ec = key instanceof ECKey || "EC".equals(key.getAlgorithm());
        boolean wantRsa = scheme.algorithm == null || SignatureScheme.isRsa(scheme.algorithm);
        if (wantRsa ? !rsa : !ec) {
            throw new InvalidKeyException(scheme.jcaName + " needs " + (wantRsa ? "an RSA" : "an EC") + " key, not "
                    + describe(key));
        }
    }

    private static String describe(java.security.Key key) {
        if (key == null) {
            return "null";
        }
        if (key instanceof HandleBase) {
            HandleBase h = (HandleBase) key;
            return "Infisical key " + h.keyId() + " (" + h.metadata().name() + ", " + h.metadata().algorithm() + ")";
        }
        String alg = key.getAlgorithm();
        boolean vowel = alg != null && !alg.isEmpty() && "AEIOUaeiou".indexOf(alg.charAt(0)) >= 0
                || "RSA".equals(alg) || "RSASSA-PSS".equals(alg);
        return (vowel ? "an " : "a ") + alg + " key of class " + key.getClass().getName();
    }
}
