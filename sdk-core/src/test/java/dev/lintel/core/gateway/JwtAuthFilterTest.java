package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.testing.ManualTimeSource;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of bad token is a 401 with a challenge, never an exception out of the pipeline. */
class JwtAuthFilterTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final String HS = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  private static final String RS = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

  private static String claims(String sub, long exp) {
    return "{\"sub\":\""
        + sub
        + "\",\"iss\":\"https://id.example\",\"aud\":[\"orders\",\"billing\"],"
        + "\"exp\":"
        + exp
        + ",\"nbf\":"
        + (NOW.getEpochSecond() - 60)
        + ",\"role\":\"admin\"}";
  }

  private static final String VALID = claims("ada", NOW.getEpochSecond() + 300);

  private static Pipeline pipeline(JwtAuthFilter.Builder filter) {
    return Pipeline.builder()
        .filter(
            filter
                .issuer("https://id.example")
                .audience("orders")
                .timeSource(ManualTimeSource.startingAt(NOW))
                .clockSkew(Duration.ofSeconds(30))
                .build())
        .route(
            "GET",
            "/me",
            request ->
                Response.ok(
                    request.principal()
                        + " "
                        + request.attribute(JwtAuthFilter.CLAIMS_ATTRIBUTE).get("role")))
        .build();
  }

  private static final Pipeline HS_PIPELINE = pipeline(JwtAuthFilter.hs256(Tokens.SECRET));
  private static final Pipeline RS_PIPELINE =
      pipeline(JwtAuthFilter.rs256((RSAPublicKey) Tokens.RSA.getPublic()));

  private static Response call(Pipeline pipeline, String authorization) {
    return pipeline.handle(
        Request.of(
            "GET", "/me", Headers.of("Authorization", authorization), new byte[0], "10.0.0.1"));
  }

  private static void assertRejected(Pipeline pipeline, String token) {
    Response response = call(pipeline, "Bearer " + token);
    assertThat(response.status()).as(token).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
    assertThat(response.bodyText()).isEqualTo("unauthorized");
  }

  @Test
  void validTokensAuthenticateTheRequest() throws Exception {
    Response hs = call(HS_PIPELINE, "Bearer " + Tokens.hs256(HS, VALID, Tokens.SECRET));
    Response rs = call(RS_PIPELINE, "bearer " + Tokens.rs256(RS, VALID, Tokens.RSA.getPrivate()));

    assertThat(hs.status()).isEqualTo(200);
    assertThat(hs.bodyText()).isEqualTo("ada admin");
    assertThat(rs.bodyText()).isEqualTo("ada admin");
  }

  @Test
  void aMissingTokenIsChallenged() {
    Response response = HS_PIPELINE.handle(Request.of("GET", "/me"));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(call(HS_PIPELINE, "Basic YWRhOnB3").status()).isEqualTo(401);
  }

  @Test
  void aTamperedSignatureOrPayloadIsRejected() throws Exception {
    String token = Tokens.hs256(HS, VALID, Tokens.SECRET);
    String[] parts = token.split("\\.");
    String flipped =
        parts[2].charAt(0) == 'A' ? "B" + parts[2].substring(1) : "A" + parts[2].substring(1);

    assertRejected(HS_PIPELINE, parts[0] + "." + parts[1] + "." + flipped);
    assertRejected(
        HS_PIPELINE,
        parts[0] + "." + Tokens.b64(claims("root", NOW.getEpochSecond() + 300)) + "." + parts[2]);
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRejected() throws Exception {
    byte[] other = "another-secret-that-is-long-enough-too".getBytes();
    assertRejected(HS_PIPELINE, Tokens.hs256(HS, VALID, other));
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    assertRejected(RS_PIPELINE, Tokens.rs256(RS, VALID, generator.generateKeyPair().getPrivate()));
  }

  @Test
  void algNoneIsRejected() {
    String unsigned = Tokens.b64("{\"alg\":\"none\"}") + "." + Tokens.b64(VALID) + ".";
    assertRejected(HS_PIPELINE, unsigned);
    assertRejected(RS_PIPELINE, unsigned);
    assertRejected(HS_PIPELINE, Tokens.b64("{\"alg\":\"none\"}") + "." + Tokens.b64(VALID) + ".x");
  }

  @Test
  void hsRsAlgorithmConfusionIsRejected() throws Exception {
    // The classic attack: HMAC-sign with the RSA public key bytes and claim HS256.
    byte[] publicKeyBytes = Tokens.RSA.getPublic().getEncoded();
    assertRejected(RS_PIPELINE, Tokens.hs256(HS, VALID, publicKeyBytes));
    // And an RS256 token presented where HS256 is configured.
    assertRejected(HS_PIPELINE, Tokens.rs256(RS, VALID, Tokens.RSA.getPrivate()));
  }

  @Test
  void expiredAndNotYetValidTokensAreRejectedBeyondTheSkew() throws Exception {
    assertRejected(
        HS_PIPELINE, Tokens.hs256(HS, claims("ada", NOW.getEpochSecond() - 31), Tokens.SECRET));
    assertThat(
            call(
                    HS_PIPELINE,
                    "Bearer "
                        + Tokens.hs256(HS, claims("ada", NOW.getEpochSecond() - 29), Tokens.SECRET))
                .status())
        .as("expired within the skew")
        .isEqualTo(200);
    String future =
        "{\"sub\":\"ada\",\"iss\":\"https://id.example\",\"aud\":\"orders\",\"exp\":"
            + (NOW.getEpochSecond() + 600)
            + ",\"nbf\":"
            + (NOW.getEpochSecond() + 120)
            + "}";
    assertRejected(HS_PIPELINE, Tokens.hs256(HS, future, Tokens.SECRET));
    assertRejected(
        HS_PIPELINE,
        Tokens.hs256(
            HS,
            "{\"sub\":\"ada\",\"iss\":\"https://id.example\",\"aud\":\"orders\"}",
            Tokens.SECRET));
  }

  @Test
  void aTokenExpiresWhenTheTimeSourcesWallClockPassesItsExpiryAndTheSkew() throws Exception {
    ManualTimeSource time = ManualTimeSource.startingAt(NOW);
    Pipeline pipeline =
        Pipeline.builder()
            .filter(JwtAuthFilter.hs256(Tokens.SECRET).timeSource(time).build())
            .route("GET", "/me", request -> Response.ok(String.valueOf(request.principal())))
            .build();
    String token =
        "Bearer " + Tokens.hs256(HS, claims("ada", NOW.getEpochSecond() + 60), Tokens.SECRET);

    assertThat(call(pipeline, token).bodyText()).isEqualTo("ada");
    time.advance(Duration.ofSeconds(60 + 29));
    assertThat(call(pipeline, token).status()).as("within the 30 s skew").isEqualTo(200);
    time.advance(Duration.ofSeconds(1));
    assertThat(call(pipeline, token).status()).isEqualTo(401);
  }

  @Test
  void theClaimsAreATypedAttributeOfTheRequestPassedOnAndTheOriginalStaysAsItWas()
      throws Exception {
    Request original =
        Request.of(
            "GET",
            "/me",
            Headers.of("Authorization", "Bearer " + Tokens.hs256(HS, VALID, Tokens.SECRET)),
            new byte[0],
            "10.0.0.1");
    JwtAuthFilter filter =
        JwtAuthFilter.hs256(Tokens.SECRET).timeSource(ManualTimeSource.startingAt(NOW)).build();
    java.util.concurrent.atomic.AtomicReference<Request> passedOn =
        new java.util.concurrent.atomic.AtomicReference<>();

    filter.filter(
        original,
        request -> {
          passedOn.set(request);
          return Response.ok("ok");
        });

    assertThat(passedOn.get().principal()).isEqualTo("ada");
    assertThat(passedOn.get().attribute(JwtAuthFilter.CLAIMS_ATTRIBUTE))
        .containsEntry("iss", "https://id.example")
        .containsEntry("aud", List.of("orders", "billing"));
    assertThat(original.principal()).isNull();
    assertThat(original.attribute(JwtAuthFilter.CLAIMS_ATTRIBUTE)).isNull();
  }

  @Test
  void aWrongIssuerOrAudienceIsRejected() throws Exception {
    long exp = NOW.getEpochSecond() + 300;
    assertRejected(
        HS_PIPELINE,
        Tokens.hs256(
            HS,
            "{\"sub\":\"ada\",\"iss\":\"https://evil.example\",\"aud\":\"orders\",\"exp\":"
                + exp
                + "}",
            Tokens.SECRET));
    assertRejected(
        HS_PIPELINE,
        Tokens.hs256(
            HS,
            "{\"sub\":\"ada\",\"iss\":\"https://id.example\",\"aud\":\"billing\",\"exp\":"
                + exp
                + "}",
            Tokens.SECRET));
  }

  @Test
  void malformedTokensAreRejected() throws Exception {
    String valid = Tokens.hs256(HS, VALID, Tokens.SECRET);
    String[] parts = valid.split("\\.");
    for (String token :
        List.of(
            "abc",
            parts[0] + "." + parts[1],
            valid + ".extra",
            "..",
            parts[0] + ".!!!." + parts[2],
            parts[0] + "=." + parts[1] + "." + parts[2],
            Tokens.b64("not json") + "." + parts[1] + "." + parts[2],
            Tokens.b64("[1,2]") + "." + parts[1] + "." + parts[2],
            Tokens.hs256(HS, "[\"an\",\"array\"]", Tokens.SECRET),
            Tokens.hs256(
                HS,
                "{\"iss\":\"https://id.example\",\"aud\":\"orders\",\"exp\":"
                    + (NOW.getEpochSecond() + 60)
                    + "}",
                Tokens.SECRET))) {
      assertRejected(HS_PIPELINE, token);
    }
  }

  @Test
  void oversizedTokensAreRejectedWithoutParsing() throws Exception {
    String huge =
        "{\"sub\":\"ada\",\"pad\":\""
            + "x".repeat(20_000)
            + "\",\"exp\":"
            + (NOW.getEpochSecond() + 60)
            + "}";
    assertRejected(HS_PIPELINE, Tokens.hs256(HS, huge, Tokens.SECRET));
  }

  @Test
  void theFilterRefusesToBuildWithoutAProperKey() {
    assertThatThrownBy(() -> JwtAuthFilter.hs256(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("no default key");
    assertThatThrownBy(() -> JwtAuthFilter.hs256("short".getBytes()))
        .hasMessageContaining("at least 32 bytes");
  }

  private static void assertChallenge(Response response, String error, String description) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate"))
        .isEqualTo(
            "Bearer realm=\"lintel\", error=\""
                + error
                + "\", error_description=\""
                + description
                + "\"");
  }

  @Test
  void criticalHeaderParametersTheFilterDoesNotUnderstandAreRefused() throws Exception {
    JwtAuthFilter filter =
        JwtAuthFilter.hs256(Tokens.SECRET).timeSource(ManualTimeSource.startingAt(NOW)).build();
    // Each is signed with the right key: only the crit header is wrong.
    List<String> headers =
        List.of(
            "{\"alg\":\"HS256\",\"crit\":[\"x-unknown\"],\"x-unknown\":true}",
            "{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}",
            "{\"alg\":\"HS256\",\"crit\":[]}",
            "{\"alg\":\"HS256\",\"crit\":\"x-unknown\"}",
            "{\"alg\":\"HS256\",\"b64\":false}");
    for (String header : headers) {
      Response response =
          filter.filter(
              Request.of("GET", "/me")
                  .withHeader(
                      "Authorization", "Bearer " + Tokens.hs256(header, VALID, Tokens.SECRET)),
              request -> Response.ok("passed"));
      assertChallenge(response, "invalid_token", "unsupported critical header parameter");
    }

    assertThat(filter.stats().rejected(JwtAuthFilter.Reason.UNSUPPORTED_HEADER)).isEqualTo(5);
    assertThat(filter.stats().accepted()).isZero();
    assertThat(
            call(
                    HS_PIPELINE,
                    "Bearer "
                        + Tokens.hs256("{\"alg\":\"HS256\",\"b64\":true}", VALID, Tokens.SECRET))
                .status())
        .as("b64: true is the default and changes nothing")
        .isEqualTo(200);
  }

  @Test
  void twoAuthorizationHeadersAreAnInvalidRequestWhateverTheyHold() throws Exception {
    String token = Tokens.hs256(HS, VALID, Tokens.SECRET);
    Response twoValid =
        HS_PIPELINE.handle(
            Request.of(
                "GET",
                "/me",
                Headers.of("Authorization", "Bearer " + token, "Authorization", "Bearer " + token),
                new byte[0],
                "10.0.0.1"));
    Response validThenOther =
        HS_PIPELINE.handle(
            Request.of(
                "GET",
                "/me",
                Headers.of("Authorization", "Bearer " + token, "authorization", "Basic YWRhOnB3"),
                new byte[0],
                "10.0.0.1"));

    assertChallenge(twoValid, "invalid_request", "more than one Authorization header");
    assertChallenge(validThenOther, "invalid_request", "more than one Authorization header");
    assertThat(call(HS_PIPELINE, "Bearer " + token).status()).isEqualTo(200);
  }

  @Test
  void aBearerSchemeWithoutATokenIsAnInvalidRequest() {
    assertChallenge(
        call(HS_PIPELINE, "Bearer "), "invalid_request", "malformed Authorization header");
    assertChallenge(
        call(HS_PIPELINE, "Bearer"), "invalid_request", "malformed Authorization header");
  }

  @Test
  void everyRejectionSaysWhyInTheChallengeAndIsCountedByReason() throws Exception {
    ManualTimeSource time = ManualTimeSource.startingAt(NOW);
    JwtAuthFilter filter =
        JwtAuthFilter.hs256(Tokens.SECRET)
            .issuer("https://id.example")
            .audience("orders")
            .timeSource(time)
            .build();
    long exp = NOW.getEpochSecond() + 300;
    String valid = Tokens.hs256(HS, VALID, Tokens.SECRET);
    String[] parts = valid.split("\\.");
    java.util.Map<String, String> tokens = new java.util.LinkedHashMap<>();
    tokens.put(
        "token expired", Tokens.hs256(HS, claims("ada", NOW.getEpochSecond() - 60), Tokens.SECRET));
    tokens.put(
        "invalid signature",
        Tokens.hs256(HS, VALID, "another-secret-that-is-long-enough-too".getBytes()));
    tokens.put("algorithm not accepted", Tokens.rs256(RS, VALID, Tokens.RSA.getPrivate()));
    tokens.put("malformed token", parts[0] + "." + parts[1]);
    tokens.put(
        "token has no expiry",
        Tokens.hs256(
            HS,
            "{\"sub\":\"ada\",\"iss\":\"https://id.example\",\"aud\":\"orders\"}",
            Tokens.SECRET));
    tokens.put(
        "malformed time claims",
        Tokens.hs256(HS, "{\"sub\":\"ada\",\"exp\":\"soon\"}", Tokens.SECRET));
    tokens.put(
        "token not yet valid",
        Tokens.hs256(
            HS,
            "{\"sub\":\"ada\",\"iss\":\"https://id.example\",\"aud\":\"orders\",\"exp\":"
                + exp
                + ",\"nbf\":"
                + exp
                + "}",
            Tokens.SECRET));
    tokens.put(
        "wrong issuer",
        Tokens.hs256(
            HS,
            "{\"sub\":\"ada\",\"iss\":\"https://evil.example\",\"exp\":" + exp + "}",
            Tokens.SECRET));
    tokens.put(
        "wrong audience",
        Tokens.hs256(
            HS,
            "{\"sub\":\"ada\",\"iss\":\"https://id.example\",\"aud\":\"billing\",\"exp\":"
                + exp
                + "}",
            Tokens.SECRET));
    tokens.put(
        "token has no subject",
        Tokens.hs256(
            HS,
            "{\"iss\":\"https://id.example\",\"aud\":\"orders\",\"exp\":" + exp + "}",
            Tokens.SECRET));
    tokens.put(
        "token too long",
        Tokens.hs256(HS, "{\"pad\":\"" + "x".repeat(9_000) + "\"}", Tokens.SECRET));

    for (java.util.Map.Entry<String, String> entry : tokens.entrySet()) {
      Response response =
          filter.filter(
              Request.of("GET", "/me").withHeader("Authorization", "Bearer " + entry.getValue()),
              request -> Response.ok("passed"));
      assertChallenge(response, "invalid_token", entry.getKey());
    }
    Response missing = filter.filter(Request.of("GET", "/me"), request -> Response.ok("passed"));

    assertThat(missing.header("WWW-Authenticate"))
        .as("RFC 6750 §3.1: no error without a token")
        .isEqualTo("Bearer realm=\"lintel\"");
    JwtAuthFilter.Stats stats = filter.stats();
    assertThat(stats.rejected()).isEqualTo(tokens.size() + 1);
    assertThat(stats.rejected(JwtAuthFilter.Reason.MISSING_TOKEN)).isEqualTo(1);
    for (JwtAuthFilter.Reason reason : JwtAuthFilter.Reason.values()) {
      long expected =
          tokens.containsKey(reason.description()) || reason == JwtAuthFilter.Reason.MISSING_TOKEN
              ? 1
              : 0;
      assertThat(stats.rejected(reason)).as(reason.code()).isEqualTo(expected);
    }
    assertThat(stats.accepted()).isZero();
  }

  @Test
  void reasonsAreAClosedSetOfSafeTagValuesAndFixedDescriptions() {
    for (JwtAuthFilter.Reason reason : JwtAuthFilter.Reason.values()) {
      assertThat(reason.code()).matches("[a-z_]+");
      assertThat(reason.description()).matches("[A-Za-z0-9 ]+");
      assertThat(reason.challenge()).startsWith("Bearer realm=\"lintel\"");
    }
  }

  @Test
  void expiryIsRequiredUnlessTheBuilderSaysOtherwise() throws Exception {
    String noExpiry = Tokens.hs256(HS, "{\"sub\":\"ada\"}", Tokens.SECRET);
    String expired = Tokens.hs256(HS, claims("ada", NOW.getEpochSecond() - 60), Tokens.SECRET);
    JwtAuthFilter byDefault =
        JwtAuthFilter.hs256(Tokens.SECRET).timeSource(ManualTimeSource.startingAt(NOW)).build();
    JwtAuthFilter optional =
        JwtAuthFilter.hs256(Tokens.SECRET)
            .requireExpiry(false)
            .timeSource(ManualTimeSource.startingAt(NOW))
            .build();

    assertChallenge(
        byDefault.filter(bearer(noExpiry), request -> Response.ok("passed")),
        "invalid_token",
        "token has no expiry");
    assertThat(optional.filter(bearer(noExpiry), request -> Response.ok("passed")).status())
        .isEqualTo(200);
    assertChallenge(
        optional.filter(bearer(expired), request -> Response.ok("passed")),
        "invalid_token",
        "token expired");
  }

  private static Request bearer(String token) {
    return Request.of("GET", "/me").withHeader("Authorization", "Bearer " + token);
  }

  @Test
  void es256TokensSignedByTheJdkVerifyAndAlgorithmsCannotBeSwitched() throws Exception {
    java.security.KeyPair ec = JwtKeysTest.ec("secp256r1");
    String es = "{\"alg\":\"ES256\"}";
    String token = Tokens.es256(es, VALID, ec.getPrivate());
    JwtAuthFilter filter =
        JwtAuthFilter.es256((java.security.interfaces.ECPublicKey) ec.getPublic())
            .timeSource(ManualTimeSource.startingAt(NOW))
            .build();

    assertThat(filter.filter(bearer(token), request -> Response.ok("passed")).status())
        .isEqualTo(200);
    assertChallenge(
        filter.filter(
            bearer(Tokens.hs256(HS, VALID, ec.getPublic().getEncoded())),
            request -> Response.ok("passed")),
        "invalid_token",
        "algorithm not accepted");
  }

  @Test
  void severalKeysAtOnceAreChosenByKeyIdForRotation() throws Exception {
    java.security.KeyPair ec = JwtKeysTest.ec("secp256r1");
    JwtAuthFilter filter =
        JwtAuthFilter.builder(
                JwtKeySet.of(
                    JwtKey.rs256((RSAPublicKey) Tokens.RSA.getPublic()).withKeyId("old"),
                    JwtKey.es256((java.security.interfaces.ECPublicKey) ec.getPublic())
                        .withKeyId("new")))
            .timeSource(ManualTimeSource.startingAt(NOW))
            .build();

    String old =
        Tokens.rs256("{\"alg\":\"RS256\",\"kid\":\"old\"}", VALID, Tokens.RSA.getPrivate());
    String fresh = Tokens.es256("{\"alg\":\"ES256\",\"kid\":\"new\"}", VALID, ec.getPrivate());
    String noKid = Tokens.es256("{\"alg\":\"ES256\"}", VALID, ec.getPrivate());
    String unknown = Tokens.es256("{\"alg\":\"ES256\",\"kid\":\"newer\"}", VALID, ec.getPrivate());
    String badKid = Tokens.es256("{\"alg\":\"ES256\",\"kid\":7}", VALID, ec.getPrivate());

    assertThat(filter.filter(bearer(old), request -> Response.ok("passed")).status())
        .isEqualTo(200);
    assertThat(filter.filter(bearer(fresh), request -> Response.ok("passed")).status())
        .isEqualTo(200);
    assertThat(filter.filter(bearer(noKid), request -> Response.ok("passed")).status())
        .isEqualTo(200);
    assertChallenge(
        filter.filter(bearer(unknown), request -> Response.ok("passed")),
        "invalid_token",
        "unknown signing key");
    assertChallenge(
        filter.filter(bearer(badKid), request -> Response.ok("passed")),
        "invalid_token",
        "malformed token");
  }

  @Test
  void aFailingKeySourceRefusesTokensAsKeysUnavailable() throws Exception {
    JwtAuthFilter filter =
        JwtAuthFilter.builder(
                kid -> {
                  throw new IllegalStateException("vault sealed");
                })
            .timeSource(ManualTimeSource.startingAt(NOW))
            .build();

    assertChallenge(
        filter.filter(
            bearer(Tokens.hs256(HS, VALID, Tokens.SECRET)), request -> Response.ok("passed")),
        "invalid_token",
        "signing keys unavailable");
    assertThat(filter.stats().rejected(JwtAuthFilter.Reason.KEYS_UNAVAILABLE)).isEqualTo(1);
  }
}
