package dev.lintel.samples.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs HS256 tokens as the demo's identity provider; in production they come from yours. User
 * names are taken as they are: the demo only passes its own.
 */
final class DemoTokens {
  private final byte[] secret;

  DemoTokens(byte[] secret) {
    this.secret = secret.clone();
  }

  String issue(String user, Duration validFor) {
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"sub\":\""
            + user
            + "\",\"iss\":\""
            + Gateway.ISSUER
            + "\",\"aud\":\""
            + Gateway.AUDIENCE
            + "\",\"exp\":"
            + Instant.now().plus(validFor).getEpochSecond()
            + "}";
    String signed =
        base64(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + base64(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return signed + "." + base64(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
