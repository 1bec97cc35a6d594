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
            "",
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
}
