package io.github.infisicaljca.jca;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;

/**
 * ECDSA verification (SEC 1 v2, 4.1.4) in plain affine arithmetic over a prime field, for the
 * one case some JDKs get wrong (see {@link LocalVerifier}). Slow and not constant time, which
 * verification of public data does not need; used only when {@link #mayNeedReduction} holds.
 */
final class EcdsaArithmetic {
    private static final BigInteger TWO = BigInteger.valueOf(2);
    private static final BigInteger THREE = BigInteger.valueOf(3);

    private EcdsaArithmetic() {
    }

    /**
     * Whether a point R with {@code x(R) = r + n} can exist: the only way {@code x(R) mod n == r}
     * holds while {@code x(R) != r}, on a prime-field curve of cofactor 1 (where {@code p < 2n}).
     */
    static boolean mayNeedReduction(ECPublicKey key, BigInteger r) {
        ECParameterSpec params = key.getParams();
        if (params == null || params.getCofactor() != 1 || !(params.getCurve().getField() instanceof ECFieldFp)) {
            return false;
        }
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        return r.signum() > 0 && r.add(params.getOrder()).compareTo(p) < 0;
    }

    /** Whether (r, s) is a valid ECDSA signature of {@code hash} under {@code key}. */
    static boolean verify(ECPublicKey key, byte[] hash, BigInteger r, BigInteger s) {
        ECParameterSpec params = key.getParams();
        EllipticCurve curve = params.getCurve();
        if (!(curve.getField() instanceof ECFieldFp)) {
            return false;
        }
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger n = params.getOrder();
        if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        ECPoint q = key.getW();
        if (q == null || q == ECPoint.POINT_INFINITY || !onCurve(q, curve, p)) {
            return false;
        }
        BigInteger e = new BigInteger(1, hash);
        int excess = hash.length * 8 - n.bitLength();
        if (excess > 0) {
            e = e.shiftRight(excess); // the leftmost bitlen(n) bits of the hash
        }
        BigInteger w = s.modInverse(n);
        BigInteger u1 = e.multiply(w).mod(n);
        BigInteger u2 = r.multiply(w).mod(n);
        ECPoint point = add(multiply(params.getGenerator(), u1, curve, p), multiply(q, u2, curve, p), curve, p);
        return point != ECPoint.POINT_INFINITY && point.getAffineX().mod(n).equals(r);
    }

    static boolean onCurve(ECPoint q, EllipticCurve curve, BigInteger p) {
        BigInteger x = q.getAffineX();
        BigInteger y = q.getAffineY();
        if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger rhs = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.pow(2).mod(p).equals(rhs);
    }

    static ECPoint multiply(ECPoint point, BigInteger k, EllipticCurve curve, BigInteger p) {
        ECPoint result = ECPoint.POINT_INFINITY;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            result = add(result, result, curve, p);
            if (k.testBit(i)) {
                result = add(result, point, curve, p);
            }
        }
        return result;
    }

    /** P + Q, doubling included, with {@link ECPoint#POINT_INFINITY} as the identity. */
    static ECPoint add(ECPoint a, ECPoint b, EllipticCurve curve, BigInteger p) {
        if (a == ECPoint.POINT_INFINITY) {
            return b;
        }
        if (b == ECPoint.POINT_INFINITY) {
            return a;
        }
        BigInteger x1 = a.getAffineX();
        BigInteger y1 = a.getAffineY();
        BigInteger x2 = b.getAffineX();
        BigInteger y2 = b.getAffineY();
        BigInteger lambda;
        if (x1.equals(x2)) {
            if (!y1.equals(y2) || y1.signum() == 0) {
                return ECPoint.POINT_INFINITY; // P + (-P), or doubling a point of order 2
            }
            lambda = THREE.multiply(x1.pow(2)).add(curve.getA()).multiply(TWO.multiply(y1).modInverse(p)).mod(p);
        } else {
            lambda = y2.subtract(y1).multiply(x2.subtract(x1).mod(p).modInverse(p)).mod(p);
        }
        BigInteger x3 = lambda.pow(2).subtract(x1).subtract(x2).mod(p);
        BigInteger y3 = lambda.multiply(x1.subtract(x3)).subtract(y1).mod(p);
        return new ECPoint(x3, y3);
    }
}
