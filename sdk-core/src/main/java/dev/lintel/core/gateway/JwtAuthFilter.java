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
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates requests by a JWT bearer token (RFC 7519), HS256, RS256 or ES256, verified
 * properly:
 *
 * <ul>
 *   <li>the request carries one {@code Authorization} header: two or more are refused as {@code
 *       invalid_request}, whatever they hold;
 *   <li>the token has exactly three base64url segments and is at most {@code maxTokenLength};
 *   <li>its protected header has no {@code crit} (RFC 7515 §4.1.11: the filter understands no
 *       extension, so any critical one, and an empty list, are refused) and no {@code b64} other
 *       than {@code true} (RFC 7797);
 *   <li>its {@code alg} must be that of a key the {@link JwtKeySource} offers for its {@code kid}:
 *       {@code none}, and switching between algorithms (signing with the RSA public key as an HMAC
 *       secret), are refused;
 *   <li>the signature is checked over the first two segments, an HMAC compared in constant time
 *       ({@link MessageDigest#isEqual}), an ES256 signature in the JWS form R || S;
 *   <li>{@code exp} is required (unless {@link Builder#requireExpiry requireExpiry(false)}) and
 *       {@code nbf} honoured, both with the configured clock skew; {@code iss} and {@code aud} must
 *       match when configured; {@code sub} must be a non-empty string.
 * </ul>
 *
 * On success the filter passes on the request with the {@code sub} claim as its principal ({@link
 * Request#withPrincipal}) and the claims as the attribute {@link #CLAIMS_ATTRIBUTE}. Times are
 * checked against the wall clock of the builder's {@link Builder#timeSource time source}.
 *
 * <p>Any failure is a 401 whose {@code WWW-Authenticate} challenge says why (RFC 6750 §3): {@code
 * Bearer realm="lintel", error="invalid_token", error_description="token expired"}, with {@code
 * error="invalid_request"} for a malformed request, and no error at all when there is no bearer
 * token. The description is one fixed phrase per {@link Reason}, so it leaks nothing of the token
 * or the keys; details go to the log (DEBUG). {@link #stats()} counts rejections by reason. There
 * is no default key: the filter refuses to build without one. Thread-safe.
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
  private static final Set<String> ALGORITHMS = Set.of("HS256", "RS256", "ES256");

  /**
   * Why a request was refused. Each has a fixed tag value ({@link #code()}), the RFC 6750 error
   * code it answers ({@link #error()}) and a short description that names no key or token content
   * ({@link #description()}). The set of values is closed, so it can tag a metric.
   */
  public enum Reason {
    /**
     * No {@code Authorization: Bearer} header: challenged without an error code (RFC 6750 §3.1).
     */
    MISSING_TOKEN("missing_token", null, "no bearer token"),
    /** More than one {@code Authorization} header. */
    DUPLICATE_AUTHORIZATION(
        "duplicate_authorization", "invalid_request", "more than one Authorization header"),
    /** {@code Bearer} with no token after it. */
    MALFORMED_AUTHORIZATION(
        "malformed_authorization", "invalid_request", "malformed Authorization header"),
    /** Longer than the builder's {@code maxTokenLength}. */
    TOKEN_TOO_LONG("token_too_long", "invalid_token", "token too long"),
    /** Not three base64url segments, or the header or claims are not JSON objects. */
    MALFORMED_TOKEN("malformed_token", "invalid_token", "malformed token"),
    /** A {@code crit} header (the filter understands no extension) or {@code b64} not true. */
    UNSUPPORTED_HEADER(
        "unsupported_header", "invalid_token", "unsupported critical header parameter"),
    /** An {@code alg} no offered key is for ({@code none} included). */
    UNSUPPORTED_ALGORITHM("unsupported_algorithm", "invalid_token", "algorithm not accepted"),
    /** No key for the token's {@code kid}. */
    UNKNOWN_KEY("unknown_key", "invalid_token", "unknown signing key"),
    /** The key source could not provide keys (for example a JWK Set URL that cannot be fetched). */
    KEYS_UNAVAILABLE("keys_unavailable", "invalid_token", "signing keys unavailable"),
    /** The signature does not verify. */
    INVALID_SIGNATURE("invalid_signature", "invalid_token", "invalid signature"),
    /** No {@code exp} claim while expiry is required. */
    MISSING_EXPIRY("missing_expiry", "invalid_token", "token has no expiry"),
    /** {@code exp} passed, beyond the clock skew. */
    EXPIRED("expired", "invalid_token", "token expired"),
    /** {@code nbf} not reached, beyond the clock skew. */
    NOT_YET_VALID("not_yet_valid", "invalid_token", "token not yet valid"),
    /** {@code exp} or {@code nbf} is not a number. */
    MALFORMED_CLAIMS("malformed_claims", "invalid_token", "malformed time claims"),
    /** {@code iss} is not the configured issuer. */
    WRONG_ISSUER("wrong_issuer", "invalid_token", "wrong issuer"),
    /** {@code aud} does not include the configured audience. */
    WRONG_AUDIENCE("wrong_audience", "invalid_token", "wrong audience"),
    /** No non-empty string {@code sub} claim. */
    MISSING_SUBJECT("missing_subject", "invalid_token", "token has no subject");

    private final String code;
    private final @Nullable String error;
    private final String description;
    private final String challenge;

    Reason(String code, @Nullable String error, String description) {
      this.code = code;
      this.error = error;
      this.description = description;
      this.challenge =
          error == null
              ? "Bearer realm=\"lintel\""
              : "Bearer realm=\"lintel\", error=\""
                  + error
                  + "\", error_description=\""
                  + description
                  + "\"";
    }

    /**
     * Returns the reason's tag value, lower case with underscores.
     *
     * @return for example {@code expired}
     */
    public String code() {
      return code;
    }

    /**
     * Returns the RFC 6750 error code of the challenge.
     *
     * @return {@code invalid_token}, {@code invalid_request}, or null for {@link #MISSING_TOKEN}
     */
    public @Nullable String error() {
      return error;
    }

    /**
     * Returns the challenge's {@code error_description}: fixed text with no token or key content.
     *
     * @return for example {@code token expired}
     */
    public String description() {
      return description;
    }

    /**
     * Returns the whole {@code WWW-Authenticate} value the filter answers with.
     *
     * @return the challenge
     */
    public String challenge() {
      return challenge;
    }
  }

  /**
   * Counts of a filter's decisions since it was built.
   *
   * @param accepted requests passed on with a verified token
   * @param rejections refused requests by reason; every reason is present, unmodifiable
   */
  public record Stats(long accepted, Map<Reason, Long> rejections) {
    /**
     * Copies the map.
     *
     * @param accepted requests passed on with a verified token
     * @param rejections refused requests by reason
     */
    public Stats {
      rejections = Collections.unmodifiableMap(new EnumMap<>(rejections));
    }

    /**
     * Returns the requests refused for this reason.
     *
     * @param reason the reason
     * @return the count
     */
    public long rejected(Reason reason) {
      return rejections.getOrDefault(reason, 0L);
    }

    /**
     * Returns the requests refused for any reason.
     *
     * @return the sum of all rejections
     */
    public long rejected() {
      long sum = 0;
      for (long count : rejections.values()) {
        sum += count;
      }
      return sum;
    }
  }

  private final JwtKeySource keys;
  private final @Nullable String issuer;
  private final @Nullable String audience;
  private final Duration clockSkew;
  private final TimeSource timeSource;
  private final int maxTokenLength;
  private final boolean requireExpiry;
  private final LongAdder accepted = new LongAdder();
  private final LongAdder[] rejected = new LongAdder[Reason.values().length];

  private JwtAuthFilter(Builder builder) {
    this.keys = builder.keys;
    this.issuer = builder.issuer;
    this.audience = builder.audience;
    this.clockSkew = builder.clockSkew;
    this.timeSource = builder.timeSource;
    this.maxTokenLength = builder.maxTokenLength;
    this.requireExpiry = builder.requireExpiry;
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] = new LongAdder();
    }
  }

  /**
   * Verifies HS256 tokens with a shared secret.
   *
   * @param secret the HMAC key; at least 32 bytes (256 bits, RFC 7518 §3.2)
   * @return a builder
   * @throws NullPointerException if the secret is null
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   */
  public static Builder hs256(byte[] secret) {
    return new Builder(JwtKeySet.of(JwtKey.hs256(secret)));
  }

  /**
   * Verifies RS256 tokens with the issuer's public key.
   *
   * @param publicKey the RSA public key; at least 2048 bits
   * @return a builder
   * @throws NullPointerException if the key is null
   * @throws IllegalArgumentException if the key is shorter than 2048 bits
   */
  public static Builder rs256(RSAPublicKey publicKey) {
    return new Builder(JwtKeySet.of(JwtKey.rs256(publicKey)));
  }

  /**
   * Verifies ES256 tokens with the issuer's public key.
   *
   * @param publicKey the EC public key on P-256
   * @return a builder
   * @throws NullPointerException if the key is null
   * @throws IllegalArgumentException if the key is on another curve
   */
  public static Builder es256(ECPublicKey publicKey) {
    return new Builder(JwtKeySet.of(JwtKey.es256(publicKey)));
  }

  /**
   * Verifies tokens with the keys of a key source: a {@link JwtKeySet} (several keys for rotation,
   * from {@link JwtKey}s, PEM or a JWK Set file) or a {@link RemoteJwkSet} (a JWK Set URL).
   *
   * @param keys where the keys come from
   * @return a builder
   * @throws NullPointerException if the source is null
   */
  public static Builder builder(JwtKeySource keys) {
    return new Builder(Objects.requireNonNull(keys, "keys: JwtAuthFilter has no default key"));
  }

  /**
   * Returns the counts of accepted and refused requests so far; cheap and lock-free.
   *
   * @return a snapshot
   */
  public Stats stats() {
    Map<Reason, Long> counts = new EnumMap<>(Reason.class);
    for (Reason reason : Reason.values()) {
      counts.put(reason, rejected[reason.ordinal()].sum());
    }
    return new Stats(accepted.sum(), counts);
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    List<String> authorizations = request.headers().values("Authorization");
    if (authorizations.size() > 1) {
      return refuse(
          Reason.DUPLICATE_AUTHORIZATION,
          authorizations.size() + " Authorization headers",
          request);
    }
    String authorization = authorizations.isEmpty() ? null : authorizations.get(0);
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer", 0, 6)) {
      return refuse(Reason.MISSING_TOKEN, "no bearer token", request);
    }
    String token = authorization.substring(6);
    if (authorization.length() > 6 && !token.startsWith(" ")) {
      return refuse(Reason.MISSING_TOKEN, "another scheme than Bearer", request);
    }
    token = token.trim();
    if (token.isEmpty()) {
      return refuse(Reason.MALFORMED_AUTHORIZATION, "Bearer without a token", request);
    }
    Map<String, Object> claims;
    try {
      claims = verify(token);
    } catch (Rejected e) {
      return refuse(e.reason, e.getMessage(), request);
    }
    Object subject = claims.get("sub");
    if (!(subject instanceof String principal) || principal.isEmpty()) {
      return refuse(Reason.MISSING_SUBJECT, "no sub claim", request);
    }
    accepted.increment();
    return next.proceed(request.withPrincipal(principal).withAttribute(CLAIMS_ATTRIBUTE, claims));
  }

  private Map<String, Object> verify(String token) throws Rejected {
    if (token.length() > maxTokenLength) {
      throw new Rejected(
          Reason.TOKEN_TOO_LONG, "token longer than " + maxTokenLength + " characters");
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0
        || second <= first + 1
        || second == token.length() - 1
        || token.indexOf('.', second + 1) >= 0) {
      throw new Rejected(Reason.MALFORMED_TOKEN, "not three non-empty segments");
    }
    JsonNode header = json(decode(token.substring(0, first)), "header");
    checkExtensions(header);
    JsonNode alg = header.get("alg");
    if (alg == null || !alg.isTextual() || !ALGORITHMS.contains(alg.asText())) {
      throw new Rejected(Reason.UNSUPPORTED_ALGORITHM, "alg " + alg + " is not supported");
    }
    JsonNode kid = header.get("kid");
    if (kid != null && !kid.isTextual()) {
      throw new Rejected(Reason.MALFORMED_TOKEN, "kid is not a string");
    }
    List<JwtKey> candidates = candidates(alg.asText(), kid == null ? null : kid.asText());
    byte[] signed = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = decode(token.substring(second + 1));
    if (!signatureValid(candidates, signed, signature)) {
      throw new Rejected(Reason.INVALID_SIGNATURE, "bad signature");
    }
    JsonNode payload = json(decode(token.substring(first + 1, second)), "payload");
    checkTimes(payload);
    if (issuer != null && !issuer.equals(text(payload, "iss"))) {
      throw new Rejected(
          Reason.WRONG_ISSUER, "issuer " + text(payload, "iss") + " is not " + issuer);
    }
    if (audience != null && !hasAudience(payload.get("aud"))) {
      throw new Rejected(
          Reason.WRONG_AUDIENCE,
          "audience " + payload.get("aud") + " does not include " + audience);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> claims = JSON.convertValue(payload, Map.class);
    return Collections.unmodifiableMap(claims); // JSON nulls stay: Map.copyOf would refuse them
  }

  /**
   * RFC 7515 §4.1.11: a recipient must refuse a token whose {@code crit} lists an extension it does
   * not understand, and {@code crit} must not be empty. This filter implements no extension, so any
   * {@code crit} is refused. {@code b64: false} (RFC 7797) would mean the payload is signed
   * unencoded; it is refused even without {@code crit}, as verifying it the usual way would check
   * something its signer did not sign.
   */
  private static void checkExtensions(JsonNode header) throws Rejected {
    JsonNode crit = header.get("crit");
    if (crit != null) {
      throw new Rejected(
          Reason.UNSUPPORTED_HEADER,
          crit.isArray() && crit.isEmpty() ? "empty crit" : "crit " + crit + " not understood");
    }
    JsonNode b64 = header.get("b64");
    if (b64 != null && !(b64.isBoolean() && b64.booleanValue())) {
      throw new Rejected(Reason.UNSUPPORTED_HEADER, "b64 " + b64);
    }
  }

  private List<JwtKey> candidates(String alg, @Nullable String kid) throws Rejected {
    List<JwtKey> offered;
    try {
      offered = keys.keys(kid);
    } catch (RuntimeException e) {
      log.warn("no keys to verify a token from {}: {}", keys, e.toString());
      throw new Rejected(Reason.KEYS_UNAVAILABLE, "key source failed: " + e.getMessage());
    }
    if (offered.isEmpty()) {
      throw new Rejected(Reason.UNKNOWN_KEY, "no key for kid " + kid);
    }
    List<JwtKey> matching = new ArrayList<>(offered.size());
    for (JwtKey key : offered) {
      if (key.algorithm().equals(alg)) {
        matching.add(key);
      }
    }
    if (matching.isEmpty()) {
      throw new Rejected(
          Reason.UNSUPPORTED_ALGORITHM,
          "alg " + alg + " where the keys for kid " + kid + " are not");
    }
    return matching;
  }

  private static boolean signatureValid(List<JwtKey> candidates, byte[] signed, byte[] signature)
      throws Rejected {
    for (JwtKey key : candidates) {
      try {
        if (key.verifies(signed, signature)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        throw new Rejected(Reason.INVALID_SIGNATURE, "signature check failed: " + e);
      }
    }
    return false;
  }

  private void checkTimes(JsonNode payload) throws Rejected {
    long now = timeSource.now().getEpochSecond();
    long skew = clockSkew.toSeconds();
    JsonNode exp = payload.get("exp");
    if (exp == null) {
      if (requireExpiry) {
        throw new Rejected(Reason.MISSING_EXPIRY, "no exp claim");
      }
    } else if (!exp.isNumber()) {
      throw new Rejected(Reason.MALFORMED_CLAIMS, "exp is not a number");
    } else if (now - skew >= exp.asLong()) {
      throw new Rejected(Reason.EXPIRED, "expired at " + exp.asLong());
    }
    JsonNode nbf = payload.get("nbf");
    if (nbf != null && !nbf.isNumber()) {
      throw new Rejected(Reason.MALFORMED_CLAIMS, "nbf is not a number");
    }
    if (nbf != null && now + skew < nbf.asLong()) {
      throw new Rejected(Reason.NOT_YET_VALID, "not valid before " + nbf);
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

  private static byte[] decode(String segment) throws Rejected {
    if (segment.indexOf('=') >= 0) {
      throw new Rejected(Reason.MALFORMED_TOKEN, "padded base64url");
    }
    try {
      return BASE64URL.decode(segment);
    } catch (IllegalArgumentException e) {
      throw new Rejected(Reason.MALFORMED_TOKEN, "malformed base64url");
    }
  }

  private static JsonNode json(byte[] bytes, String what) throws Rejected {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new Rejected(Reason.MALFORMED_TOKEN, what + " is not a JSON object");
      }
      return node;
    } catch (java.io.IOException e) {
      throw new Rejected(Reason.MALFORMED_TOKEN, what + " is not JSON");
    }
  }

  private Response refuse(Reason reason, @Nullable String detail, Request request) {
    rejected[reason.ordinal()].increment();
    log.debug("401 for {} {}: {} ({})", request.method(), request.path(), reason.code(), detail);
    return Response.text(401, "unauthorized").withHeader("WWW-Authenticate", reason.challenge());
  }

  /** Why a token was refused: the reason for the client, the detail for the log only. */
  private static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    Rejected(Reason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  /** Builds a {@link JwtAuthFilter}. Not thread-safe; build once. */
  public static final class Builder {
    private final JwtKeySource keys;
    private @Nullable String issuer;
    private @Nullable String audience;
    private Duration clockSkew = Duration.ofSeconds(30);
    private TimeSource timeSource = TimeSource.system();
    private int maxTokenLength = 8_192;
    private boolean requireExpiry = true;

    private Builder(JwtKeySource keys) {
      this.keys = keys;
    }

    /**
     * Says whether tokens must carry an {@code exp} claim; they must by default. With {@code
     * false}, a token without {@code exp} never expires by itself; one with {@code exp} is still
     * refused once it has passed.
     *
     * @param required false to accept tokens without {@code exp}
     * @return this builder
     */
    public Builder requireExpiry(boolean required) {
      this.requireExpiry = required;
      return this;
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
