package dev.lintel.core.gateway;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs test tokens the way an identity provider would. */
final class Tokens {
  static final byte[] SECRET =
      "a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
  static final KeyPair RSA = rsa();

  private Tokens() {}

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(String json) {
    return b64(json.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hs256(String header, String claims, byte[] key) throws Exception {
    String signed = b64(header) + "." + b64(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return signed + "." + b64(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
  }

  static String rs256(String header, String claims, PrivateKey key) throws Exception {
    String signed = b64(header) + "." + b64(claims);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + b64(signer.sign());
  }

  /** Signs ES256 with the JDK's P1363 format, which is the JWS form R || S. */
  static String es256(String header, String claims, PrivateKey key) throws Exception {
    String signed = b64(header) + "." + b64(claims);
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(key);
    signer.update(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + b64(signer.sign());
  }
}
