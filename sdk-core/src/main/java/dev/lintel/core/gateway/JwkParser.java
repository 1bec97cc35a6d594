package dev.lintel.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the signature-verification keys of a JWK Set (RFC 7517, key parameters of RFC 7518 §6): RSA
 * keys as RS256 and P-256 EC keys as ES256; everything else is skipped with the reason.
 */
final class JwkParser {
  private static final Logger log = LoggerFactory.getLogger(JwkParser.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private JwkParser() {}

  /**
   * Returns the usable keys.
   *
   * @param source names the set in messages (a file, a URL)
   * @throws IllegalArgumentException if the bytes are not a JWK Set or no key is usable
   */
  static List<JwtKey> parse(byte[] json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " is not JSON", e);
    }
    JsonNode array = root == null ? null : root.get("keys");
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException(source + " is not a JWK Set: it has no \"keys\" array");
    }
    List<JwtKey> keys = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int index = 0;
    for (JsonNode jwk : array) {
      String name =
          "key " + index++ + (jwk.hasNonNull("kid") ? " (kid " + jwk.get("kid") + ")" : "");
      try {
        keys.add(key(jwk));
      } catch (IllegalArgumentException e) {
        skipped.add(name + ": " + e.getMessage());
        log.debug("{}: skipped {}: {}", source, name, e.getMessage());
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + " has no usable signing key (RSA of 2048+ bits or EC P-256)"
              + (skipped.isEmpty() ? ": its \"keys\" array is empty" : "; skipped " + skipped));
    }
    return keys;
  }

  private static JwtKey key(JsonNode jwk) {
    if (!jwk.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String use = text(jwk, "use");
    if (use != null && !use.equals("sig")) {
      throw new IllegalArgumentException("use is " + use + ", not sig");
    }
    JsonNode ops = jwk.get("key_ops");
    if (ops != null && !(ops.isArray() && contains(ops, "verify"))) {
      throw new IllegalArgumentException("key_ops does not include verify");
    }
    String kty = text(jwk, "kty");
    String alg = text(jwk, "alg");
    JwtKey key;
    if ("RSA".equals(kty)) {
      requireAlg(alg, "RS256");
      key = JwtKey.rs256(rsa(jwk));
    } else if ("EC".equals(kty)) {
      requireAlg(alg, "ES256");
      key = JwtKey.es256(ec(jwk));
    } else {
      throw new IllegalArgumentException("kty " + kty + " is not supported (RSA or EC)");
    }
    String kid = text(jwk, "kid");
    return kid == null || kid.isEmpty() ? key : key.withKeyId(kid);
  }

  private static void requireAlg(@Nullable String alg, String expected) {
    if (alg != null && !alg.equals(expected)) {
      throw new IllegalArgumentException("alg " + alg + " is not supported (" + expected + ")");
    }
  }

  private static RSAPublicKey rsa(JsonNode jwk) {
    BigInteger n = new BigInteger(1, bytes(jwk, "n"));
    BigInteger e = new BigInteger(1, bytes(jwk, "e"));
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException ex) {
      throw new IllegalArgumentException("not a valid RSA public key: " + ex.getMessage(), ex);
    }
  }

  private static ECPublicKey ec(JsonNode jwk) {
    String crv = text(jwk, "crv");
    if (!"P-256".equals(crv)) {
      throw new IllegalArgumentException("crv " + crv + " is not supported (P-256)");
    }
    byte[] x = bytes(jwk, "x");
    byte[] y = bytes(jwk, "y");
    if (x.length != Es256.COORDINATE_BYTES || y.length != Es256.COORDINATE_BYTES) {
      throw new IllegalArgumentException("x and y must be 32 bytes each on P-256");
    }
    ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
    if (!Es256.onCurve(point)) {
      throw new IllegalArgumentException("the point (x, y) is not on P-256");
    }
    try {
      return (ECPublicKey)
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, Es256.P256));
    } catch (GeneralSecurityException ex) {
      throw new IllegalArgumentException("not a valid EC public key: " + ex.getMessage(), ex);
    }
  }

  private static byte[] bytes(JsonNode jwk, String field) {
    String value = text(jwk, field);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("no \"" + field + "\" member");
    }
    try {
      return BASE64URL.decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + field + "\" is not base64url", e);
    }
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (item.isTextual() && item.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
