package dev.lintel.core.gateway;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * ES256 (ECDSA on P-256 with SHA-256) helpers over the JDK's crypto: the curve's parameters, a
 * check that a point lies on it, and the two signature encodings.
 *
 * <p>JWS carries an ES256 signature as the raw concatenation R || S, each 32 bytes big-endian (RFC
 * 7518 §3.4); the JDK's {@code SHA256withECDSA} reads and writes the ASN.1 DER form {@code SEQUENCE
 * { INTEGER r, INTEGER s }}. {@link #toDer} converts for verification and refuses R or S outside
 * 1..n-1 before the JDK sees them (a zero signature must never pass, whatever the JDK version:
 * CVE-2022-21449); {@link #toRaw} is the other direction, for signers and tests.
 */
final class Es256 {
  static final int COORDINATE_BYTES = 32;
  static final int SIGNATURE_BYTES = 2 * COORDINATE_BYTES;
  static final ECParameterSpec P256 = p256();

  private Es256() {}

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no P-256 (secp256r1) curve", e);
    }
  }

  /** Whether the key is on P-256 (by its curve's parameters, not its name). */
  static boolean isP256(ECPublicKey key) {
    ECParameterSpec spec = key.getParams();
    return spec.getCurve().equals(P256.getCurve())
        && spec.getGenerator().equals(P256.getGenerator())
        && spec.getOrder().equals(P256.getOrder())
        && spec.getCofactor() == P256.getCofactor();
  }

  /** Whether the affine point satisfies y² = x³ + ax + b (mod p) on P-256. */
  static boolean onCurve(ECPoint point) {
    if (point.equals(ECPoint.POINT_INFINITY)) {
      return false;
    }
    EllipticCurve curve = P256.getCurve();
    BigInteger p = ((ECFieldFp) curve.getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    return left.equals(right);
  }

  /**
   * Converts a JWS signature (R || S) to DER.
   *
   * @return the DER form, or null if the signature is not 64 bytes or R or S is not in 1..n-1
   */
  static byte @Nullable [] toDer(byte[] raw) {
    if (raw.length != SIGNATURE_BYTES) {
      return null;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, COORDINATE_BYTES));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, COORDINATE_BYTES, SIGNATURE_BYTES));
    BigInteger n = P256.getOrder();
    if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
      return null;
    }
    byte[] rBytes = r.toByteArray(); // minimal two's complement: DER's INTEGER encoding
    byte[] sBytes = s.toByteArray();
    int bodyLength = 2 + rBytes.length + 2 + sBytes.length; // at most 70: short-form lengths
    byte[] der = new byte[2 + bodyLength];
    der[0] = 0x30;
    der[1] = (byte) bodyLength;
    der[2] = 0x02;
    der[3] = (byte) rBytes.length;
    System.arraycopy(rBytes, 0, der, 4, rBytes.length);
    int at = 4 + rBytes.length;
    der[at] = 0x02;
    der[at + 1] = (byte) sBytes.length;
    System.arraycopy(sBytes, 0, der, at + 2, sBytes.length);
    return der;
  }

  /**
   * Converts a DER ECDSA signature, as the JDK's {@code SHA256withECDSA} writes it, to R || S.
   *
   * @throws IllegalArgumentException if it is not a DER sequence of two integers that fit 32 bytes
   */
  static byte[] toRaw(byte[] der) {
    if (der.length < 8 || der[0] != 0x30 || (der[1] & 0xff) != der.length - 2) {
      throw new IllegalArgumentException("not a DER ECDSA signature (short-form sequence)");
    }
    byte[] raw = new byte[SIGNATURE_BYTES];
    int at = 2;
    for (int part = 0; part < 2; part++) {
      if (at + 2 > der.length || der[at] != 0x02) {
        throw new IllegalArgumentException("not a DER ECDSA signature: expected an INTEGER");
      }
      int length = der[at + 1] & 0xff;
      if (length == 0 || at + 2 + length > der.length) {
        throw new IllegalArgumentException("not a DER ECDSA signature: bad INTEGER length");
      }
      BigInteger value = new BigInteger(Arrays.copyOfRange(der, at + 2, at + 2 + length));
      byte[] unsigned = value.toByteArray();
      int skip = unsigned.length > COORDINATE_BYTES && unsigned[0] == 0 ? 1 : 0;
      int size = unsigned.length - skip;
      if (value.signum() <= 0 || size > COORDINATE_BYTES) {
        throw new IllegalArgumentException("not a P-256 ECDSA signature: INTEGER out of range");
      }
      System.arraycopy(
          unsigned, skip, raw, part * COORDINATE_BYTES + COORDINATE_BYTES - size, size);
      at += 2 + length;
    }
    if (at != der.length) {
      throw new IllegalArgumentException("not a DER ECDSA signature: trailing bytes");
    }
    return raw;
  }
}
