package dev.lintel.core.gateway;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * One key that verifies JWS signatures of exactly one algorithm: HS256 (a shared secret of at least
 * 256 bits), RS256 (an RSA public key of at least 2048 bits) or ES256 (an EC public key on P-256),
 * optionally with the key id ({@code kid}) tokens name it by. A token is checked with a key only if
 * its {@code alg} is the key's algorithm, so an RSA key can never be used as an HMAC secret.
 *
 * <p>Immutable and thread-safe; equal by identity. {@link #toString()} shows the algorithm and key
 * id, never key material. Verification uses the JDK's providers only.
 */
public final class JwtKey {
  private final String algorithm;
  private final @Nullable String keyId;
  private final @Nullable PublicKey publicKey;
  private final byte @Nullable [] secret;

  private JwtKey(
      String algorithm,
      @Nullable String keyId,
      @Nullable PublicKey publicKey,
      byte @Nullable [] secret) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.publicKey = publicKey;
    this.secret = secret;
  }

  /**
   * Makes an HS256 key from a shared secret (copied).
   *
   * @param secret the HMAC key; at least 32 bytes (256 bits, RFC 7518 §3.2)
   * @return the key, without a key id
   * @throws NullPointerException if the secret is null
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   */
  public static JwtKey hs256(byte[] secret) {
    Objects.requireNonNull(secret, "secret: JwtAuthFilter has no default key");
    if (secret.length < 32) {
      throw new IllegalArgumentException(
          "HS256 secret must be at least 32 bytes (256 bits) but was " + secret.length);
    }
    return new JwtKey("HS256", null, null, secret.clone());
  }

  /**
   * Makes an RS256 key.
   *
   * @param publicKey the RSA public key; at least 2048 bits
   * @return the key, without a key id
   * @throws NullPointerException if the key is null
   * @throws IllegalArgumentException if the key is shorter than 2048 bits
   */
  public static JwtKey rs256(RSAPublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey: JwtAuthFilter has no default key");
    int bits = publicKey.getModulus().bitLength();
    if (bits < 2048) {
      throw new IllegalArgumentException("RS256 key must be at least 2048 bits but was " + bits);
    }
    return new JwtKey("RS256", null, publicKey, null);
  }

  /**
   * Makes an ES256 key.
   *
   * @param publicKey the EC public key; on the P-256 curve (secp256r1)
   * @return the key, without a key id
   * @throws NullPointerException if the key is null
   * @throws IllegalArgumentException if the key is on another curve
   */
  public static JwtKey es256(ECPublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey: JwtAuthFilter has no default key");
    if (!Es256.isP256(publicKey)) {
      throw new IllegalArgumentException(
          "ES256 key must be on the P-256 curve but its field has "
              + publicKey.getParams().getCurve().getField().getFieldSize()
              + " bits or other parameters");
    }
    if (!Es256.onCurve(publicKey.getW())) {
      throw new IllegalArgumentException("ES256 key's point is not on the P-256 curve");
    }
    return new JwtKey("ES256", null, publicKey, null);
  }

  /**
   * Reads a public key from PEM text: a {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo, as {@code
   * openssl pkey -pubout} writes it) or a {@code CERTIFICATE}, whose key is used; the first block
   * counts. An RSA key becomes an RS256 key, a P-256 EC key an ES256 key.
   *
   * @param pem the PEM text
   * @return the key, without a key id
   * @throws IllegalArgumentException naming the problem if the text is not PEM, holds a private key
   *     or a PKCS#1 {@code RSA PUBLIC KEY}, or its key is not a usable RSA or P-256 EC key
   */
  public static JwtKey ofPem(String pem) {
    Objects.requireNonNull(pem, "pem");
    PublicKey key = PemKeys.publicKey(pem);
    if (key instanceof RSAPublicKey rsa) {
      return rs256(rsa);
    }
    if (key instanceof ECPublicKey ec) {
      return es256(ec);
    }
    throw new IllegalArgumentException(
        "PEM key is " + key.getAlgorithm() + ", but only RSA (RS256) and EC (ES256) are supported");
  }

  /**
   * Returns this key with a key id, which tokens name in their {@code kid} header.
   *
   * @param keyId the key id; not empty
   * @return a copy with the key id
   * @throws IllegalArgumentException if the key id is empty
   */
  public JwtKey withKeyId(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.isEmpty()) {
      throw new IllegalArgumentException("key id must not be empty");
    }
    return new JwtKey(algorithm, keyId, publicKey, secret);
  }

  /**
   * Returns the JWS algorithm this key verifies.
   *
   * @return {@code HS256}, {@code RS256} or {@code ES256}
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * Returns the key id.
   *
   * @return the key id, or null if the key has none (it then verifies tokens with any {@code kid})
   */
  public @Nullable String keyId() {
    return keyId;
  }

  /** Checks a signature over the signing input; false for any signature that does not verify. */
  boolean verifies(byte[] signingInput, byte[] signature) throws GeneralSecurityException {
    switch (algorithm) {
      case "HS256":
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Objects.requireNonNull(secret), "HmacSHA256"));
        return MessageDigest.isEqual(mac.doFinal(signingInput), signature);
      case "RS256":
        return verify("SHA256withRSA", signingInput, signature);
      case "ES256":
        byte[] der = Es256.toDer(signature);
        return der != null && verify("SHA256withECDSA", signingInput, der);
      default:
        throw new IllegalStateException(algorithm);
    }
  }

  private boolean verify(String jdkAlgorithm, byte[] signingInput, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(jdkAlgorithm);
    verifier.initVerify(Objects.requireNonNull(publicKey));
    verifier.update(signingInput);
    return verifier.verify(signature);
  }

  @Override
  public String toString() {
    return "JwtKey[" + algorithm + (keyId == null ? "" : ", kid=" + keyId) + "]";
  }
}
