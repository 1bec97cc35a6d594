package dev.lintel.samples.orders.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.samples.orders.adapters.http.HttpApi;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs HS256 tokens as the demo's identity provider would; in production tokens come from yours
 * and the service only holds the key to check them.
 */
final class DemoTokens {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final byte[] secret;

  DemoTokens(byte[] secret) {
    this.secret = secret.clone();
  }

  String issue(String user, Duration validFor) {
    Map<String, Object> claims =
        Map.of(
            "sub",
            user,
            "iss",
            HttpApi.ISSUER,
            "aud",
            HttpApi.AUDIENCE,
            "exp",
            Instant.now().plus(validFor).getEpochSecond());
    String signed = encode(Map.of("alg", "HS256", "typ", "JWT")) + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return signed
          + "."
          + BASE64URL.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static String encode(Map<String, Object> json) {
    try {
      return BASE64URL.encodeToString(JSON.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers is JSON", e);
    }
  }
}
