package dev.lintel.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lintel.TimeSource;
import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates requests by a JWT bearer token (RFC 7519), HS256 or RS256, verified properly:
 *
 * <ul>
 *   <li>the token has exactly three base64url segments and is at most {@code maxTokenLength};
 *   <li>its {@code alg} must be the one the configured key is for: {@code none}, and switching
 *       between HS256 and RS256 (signing with the RSA public key as an HMAC secret), are refused;
 *   <li>the signature is checked over the first two segments, an HMAC compared in constant time
 *       ({@link MessageDigest#isEqual});
 *   <li>{@code exp} is required and {@code nbf} honoured, both with the configured clock skew;
 *       {@code iss} and {@code aud} must match when configured.
 * </ul>
 *
 * On success the filter passes on the request with the {@code sub} claim as its principal ({@link
 * Request#withPrincipal}) and the claims as the attribute {@link #CLAIMS_ATTRIBUTE}. Times are
 * checked against the wall clock of the builder's {@link Builder#timeSource time source}. Any
 * failure is a 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}; the reason goes to
 * the log (DEBUG), never to the client. There is no default key: the filter refuses to build
 * without one. Thread-safe.
 */
public final class JwtAuthFilter implements Filter {
  /**
   * The request attribute that holds a verified token's claims, named {@code jwt.claims}: the
   * payload's JSON as a map, unmodifiable at the top level, made afresh for each request (nested
   * objects as maps, arrays as lists, JSON null as null).
   */
  public static final AttributeKey<Map<String, Object>> CLAIMS_ATTRIBUTE =
      AttributeKey.of("jwt.claims", Map.class);

  private static final Logger log = LoggerFactory.getLogger(JwtAuthFilter.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final String CHALLENGE_MISSING = "Bearer realm=\"lintel\"";
  private static final String CHALLENGE_INVALID =
      "Bearer realm=\"lintel\", error=\"invalid_token\"";

  private final String algorithm;
  private final byte @Nullable [] secret;
  private final @Nullable RSAPublicKey publicKey;
  private final @Nullable String issuer;
  private final @Nullable String audience;
  private final Duration clockSkew;
  private final TimeSource timeSource;
  private final int maxTokenLength;

  private JwtAuthFilter(Builder builder) {
    this.algorithm = builder.algorithm;
    this.secret = builder.secret;
    this.publicKey = builder.publicKey;
    this.issuer = builder.issuer;
    this.audience = builder.audience;
    this.clockSkew = builder.clockSkew;
    this.timeSource = builder.timeSource;
    this.maxTokenLength = builder.maxTokenLength;
  }

  /**
   * Verifies HS256 tokens with a shared secret.
   *
   * @param secret the HMAC key; at least 32 bytes (RFC 7518 §3.2)
   * @return a builder
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   */
  public static Builder hs256(byte[] secret) {
    Objects.requireNonNull(secret, "secret: JwtAuthFilter has no default key");
    if (secret.length < 32) {
      throw new IllegalArgumentException(
          "HS256 secret must be at least 32 bytes but was " + secret.length);
    }
    return new Builder("HS256", secret.clone(), null);
  }

  /**
   * Verifies RS256 tokens with the issuer's public key.
   *
   * @param publicKey the RSA public key; at least 2048 bits
   * @return a builder
   * @throws IllegalArgumentException if the key is shorter than 2048 bits
   */
  public static Builder rs256(RSAPublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey: JwtAuthFilter has no default key");
    if (publicKey.getModulus().bitLength() < 2048) {
      throw new IllegalArgumentException(
          "RS256 key must be at least 2048 bits but was " + publicKey.getModulus().bitLength());
    }
    return new Builder("RS256", null, publicKey);
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    String authorization = request.header("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return unauthorized(CHALLENGE_MISSING, "no bearer token", request);
    }
    String token = authorization.substring(7).trim();
    Map<String, Object> claims;
    try {
      claims = verify(token);
    } catch (InvalidToken e) {
      return unauthorized(CHALLENGE_INVALID, e.getMessage(), request);
    }
    Object subject = claims.get("sub");
    if (!(subject instanceof String principal) || principal.isEmpty()) {
      return unauthorized(CHALLENGE_INVALID, "no sub claim", request);
    }
    return next.proceed(request.withPrincipal(principal).withAttribute(CLAIMS_ATTRIBUTE, claims));
  }

  private Map<String, Object> verify(String token) throws InvalidToken {
    if (token.length() > maxTokenLength) {
      throw new InvalidToken("token longer than " + maxTokenLength + " characters");
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0
        || second <= first + 1
        || second == token.length() - 1
        || token.indexOf('.', second + 1) >= 0) {
      throw new InvalidToken("not three non-empty segments");
    }
    JsonNode header = json(decode(token.substring(0, first)), "header");
    JsonNode alg = header.get("alg");
    if (alg == null || !alg.isTextual() || !alg.asText().equals(algorithm)) {
      throw new InvalidToken("alg " + alg + " where " + algorithm + " is configured");
    }
    byte[] signed = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = decode(token.substring(second + 1));
    if (!signatureValid(signed, signature)) {
      throw new InvalidToken("bad signature");
    }
    JsonNode payload = json(decode(token.substring(first + 1, second)), "payload");
    if (!payload.isObject()) {
      throw new InvalidToken("claims are not a JSON object");
    }
    checkTimes(payload);
    if (issuer != null && !issuer.equals(text(payload, "iss"))) {
      throw new InvalidToken("issuer " + text(payload, "iss") + " is not " + issuer);
    }
    if (audience != null && !hasAudience(payload.get("aud"))) {
      throw new InvalidToken("audience " + payload.get("aud") + " does not include " + audience);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> claims = JSON.convertValue(payload, Map.class);
    return Collections.unmodifiableMap(claims); // JSON nulls stay: Map.copyOf would refuse them
  }

  private boolean signatureValid(byte[] signed, byte[] signature) throws InvalidToken {
    try {
      if (secret != null) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return MessageDigest.isEqual(mac.doFinal(signed), signature);
      }
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(Objects.requireNonNull(publicKey));
      verifier.update(signed);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      throw new InvalidToken("signature check failed: " + e);
    }
  }

  private void checkTimes(JsonNode payload) throws InvalidToken {
    long now = timeSource.now().getEpochSecond();
    long skew = clockSkew.toSeconds();
    JsonNode exp = payload.get("exp");
    if (exp == null || !exp.isNumber()) {
      throw new InvalidToken("no numeric exp claim");
    }
    if (now - skew >= exp.asLong()) {
      throw new InvalidToken("expired at " + exp.asLong());
    }
    JsonNode nbf = payload.get("nbf");
    if (nbf != null && (!nbf.isNumber() || now + skew < nbf.asLong())) {
      throw new InvalidToken("not valid before " + nbf);
    }
  }

  private boolean hasAudience(@Nullable JsonNode aud) {
    if (aud == null) {
      return false;
    }
    if (aud.isTextual()) {
      return aud.asText().equals(audience);
    }
    if (aud.isArray()) {
      for (JsonNode item : aud) {
        if (item.isTextual() && item.asText().equals(audience)) {
          return true;
        }
      }
    }
    return false;
  }

  private static @Nullable String text(JsonNode payload, String field) {
    JsonNode node = payload.get(field);
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static byte[] decode(String segment) throws InvalidToken {
    if (segment.indexOf('=') >= 0) {
      throw new InvalidToken("padded base64url");
    }
    try {
      return BASE64URL.decode(segment);
    } catch (IllegalArgumentException e) {
      throw new InvalidToken("malformed base64url");
    }
  }

  private static JsonNode json(byte[] bytes, String what) throws InvalidToken {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new InvalidToken(what + " is not a JSON object");
      }
      return node;
    } catch (java.io.IOException e) {
      throw new InvalidToken(what + " is not JSON");
    }
  }

  private static Response unauthorized(String challenge, @Nullable String reason, Request request) {
    log.debug("401 for {} {}: {}", request.method(), request.path(), reason);
    return Response.text(401, "unauthorized").withHeader("WWW-Authenticate", challenge);
  }

  /** Why a token was refused; for the log only. */
  private static final class InvalidToken extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidToken(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Builds a {@link JwtAuthFilter}. Not thread-safe; build once. */
  public static final class Builder {
    private final String algorithm;
    private final byte @Nullable [] secret;
    private final @Nullable RSAPublicKey publicKey;
    private @Nullable String issuer;
    private @Nullable String audience;
    private Duration clockSkew = Duration.ofSeconds(30);
    private TimeSource timeSource = TimeSource.system();
    private int maxTokenLength = 8_192;

    private Builder(String algorithm, byte @Nullable [] secret, @Nullable RSAPublicKey publicKey) {
      this.algorithm = algorithm;
      this.secret = secret;
      this.publicKey = publicKey;
    }

    /**
     * Requires this {@code iss} claim.
     *
     * @param issuer the issuer
     * @return this builder
     */
    public Builder issuer(String issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /**
     * Requires this value in the {@code aud} claim.
     *
     * @param audience the audience
     * @return this builder
     */
    public Builder audience(String audience) {
      this.audience = Objects.requireNonNull(audience, "audience");
      return this;
    }

    /**
     * Tolerates clocks this far apart for {@code exp} and {@code nbf}; 30 s by default.
     *
     * @param skew the tolerance; 0 to 5 minutes
     * @return this builder
     * @throws IllegalArgumentException if outside 0 to 5 minutes
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(
            "clock skew must be within 0..5 minutes but was " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Sets the time source whose wall clock ({@link TimeSource#now()}) {@code exp} and {@code nbf}
     * are checked against; {@link TimeSource#system()} by default.
     *
     * @param source the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource source) {
      this.timeSource = Objects.requireNonNull(source, "timeSource");
      return this;
    }

    /**
     * Refuses longer tokens without parsing them; 8,192 characters by default.
     *
     * @param characters the limit; positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxTokenLength(int characters) {
      if (characters <= 0) {
        throw new IllegalArgumentException(
            "max token length must be positive but was " + characters);
      }
      this.maxTokenLength = characters;
      return this;
    }

    /**
     * Builds the filter.
     *
     * @return the filter
     */
    public JwtAuthFilter build() {
      return new JwtAuthFilter(this);
    }
  }
}
