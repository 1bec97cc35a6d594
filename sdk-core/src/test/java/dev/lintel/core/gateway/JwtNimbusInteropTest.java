package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.testing.ManualTimeSource;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens signed by an independent implementation (nimbus-jose-jwt) verify, and only those. */
class JwtNimbusInteropTest {
  static final Instant NOW_FOR_TESTS = Instant.parse("2026-11-25T12:00:00Z");
  private static final Instant NOW = NOW_FOR_TESTS;
  private static final RSAKey RSA_1 = generate(new RSAKeyGenerator(2048).keyID("rsa-1"));
  private static final RSAKey RSA_2 = generate(new RSAKeyGenerator(3072).keyID("rsa-2"));
  private static final ECKey EC_1 = generate(new ECKeyGenerator(Curve.P_256).keyID("ec-1"));
  private static final JwtKeySet KEYS =
      JwtKeySet.parse(
          new JWKSet(List.<com.nimbusds.jose.jwk.JWK>of(RSA_1, RSA_2, EC_1))
              .toPublicJWKSet()
              .toString());

  @SuppressWarnings("unchecked")
  private static <K> K generate(com.nimbusds.jose.jwk.gen.JWKGenerator<?> generator) {
    try {
      return (K) generator.generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWSAlgorithm alg, String kid, JWSSigner signer) throws JOSEException {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("ada")
            .issuer("https://id.example")
            .audience("orders")
            .expirationTime(Date.from(NOW.plusSeconds(3600)))
            .claim("role", "admin")
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static Response call(JwtAuthFilter filter, String token) throws Exception {
    return filter.filter(
        Request.of(
            "GET", "/me", Headers.of("Authorization", "Bearer " + token), new byte[0], "10.0.0.1"),
        request ->
            Response.ok(
                request.principal()
                    + " "
                    + request.attribute(JwtAuthFilter.CLAIMS_ATTRIBUTE).get("role")));
  }

  private static JwtAuthFilter filter(JwtKeySource keys) {
    return JwtAuthFilter.builder(keys)
        .issuer("https://id.example")
        .audience("orders")
        .timeSource(ManualTimeSource.startingAt(NOW))
        .build();
  }

  @Test
  void rs256AndEs256TokensOfEveryKeyInTheSetVerifyByKeyId() throws Exception {
    JwtAuthFilter filter = filter(KEYS);

    for (String token :
        List.of(
            sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(RSA_1)),
            sign(JWSAlgorithm.RS256, "rsa-2", new RSASSASigner(RSA_2)),
            sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(EC_1)))) {
      Response response = call(filter, token);
      assertThat(response.status()).as(token).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo("ada admin");
    }
    assertThat(filter.stats().accepted()).isEqualTo(3);
  }

  @Test
  void aKeyIdNamingAnotherKeyOrAnUnknownKeyIsRefused() throws Exception {
    JwtAuthFilter filter = filter(KEYS);

    Response wrongKey = call(filter, sign(JWSAlgorithm.RS256, "rsa-2", new RSASSASigner(RSA_1)));
    Response unknown = call(filter, sign(JWSAlgorithm.RS256, "rsa-9", new RSASSASigner(RSA_1)));
    Response algForOtherKey =
        call(filter, sign(JWSAlgorithm.ES256, "rsa-1", new ECDSASigner(EC_1)));

    assertThat(wrongKey.header("WWW-Authenticate"))
        .contains("error_description=\"invalid signature\"");
    assertThat(unknown.header("WWW-Authenticate"))
        .contains("error_description=\"unknown signing key\"");
    assertThat(algForOtherKey.header("WWW-Authenticate")).contains("algorithm not accepted");
    assertThat(filter.stats().rejected(JwtAuthFilter.Reason.INVALID_SIGNATURE)).isEqualTo(1);
    assertThat(filter.stats().rejected(JwtAuthFilter.Reason.UNKNOWN_KEY)).isEqualTo(1);
    assertThat(filter.stats().rejected(JwtAuthFilter.Reason.UNSUPPORTED_ALGORITHM)).isEqualTo(1);
  }

  @Test
  void singleKeyFactoriesVerifyNimbusTokens() throws Exception {
    byte[] secret = Tokens.SECRET;
    assertThat(
            call(
                    filter(JwtKeySet.of(JwtKey.hs256(secret))),
                    sign(JWSAlgorithm.HS256, "any", new MACSigner(secret)))
                .status())
        .isEqualTo(200);
    assertThat(
            call(
                    JwtAuthFilter.es256(EC_1.toECPublicKey())
                        .timeSource(ManualTimeSource.startingAt(NOW))
                        .build(),
                    sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(EC_1)))
                .status())
        .isEqualTo(200);
    assertThat(
            call(
                    JwtAuthFilter.rs256(RSA_1.toRSAPublicKey())
                        .timeSource(ManualTimeSource.startingAt(NOW))
                        .build(),
                    sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(RSA_1)))
                .status())
        .isEqualTo(200);
  }

  @Test
  void anEs256TokenWhoseSignatureIsDerInsteadOfRawIsRefused() throws Exception {
    String token = sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(EC_1));
    int dot = token.lastIndexOf('.');
    byte[] raw = Base64URL.from(token.substring(dot + 1)).decode();
    String der = Base64URL.encode(ECDSA.transcodeSignatureToDER(raw)).toString();
    String zero = Base64URL.encode(new byte[64]).toString();
    JwtAuthFilter filter = filter(KEYS);

    assertThat(call(filter, token).status()).isEqualTo(200);
    assertThat(call(filter, token.substring(0, dot + 1) + der).status()).isEqualTo(401);
    assertThat(call(filter, token.substring(0, dot + 1) + zero).status()).isEqualTo(401);
    assertThat(filter.stats().rejected(JwtAuthFilter.Reason.INVALID_SIGNATURE)).isEqualTo(2);
  }
}
