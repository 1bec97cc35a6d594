package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.lintel.LintelException;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.testing.ManualTimeSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JWK Set served by the JDK's HttpServer on loopback: fetched, cached, rotated, rate-limited. */
class RemoteJwkSetTest {
  private static final Instant NOW = JwtNimbusInteropTest.NOW_FOR_TESTS;
  private static final RSAKey OLD = generate(new RSAKeyGenerator(2048).keyID("2026-10"));
  private static final ECKey NEW = generate(new ECKeyGenerator(Curve.P_256).keyID("2026-11"));

  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger requests = new AtomicInteger();
  private final ManualTimeSource time = ManualTimeSource.startingAt(NOW);
  private HttpServer server;
  private ExecutorService serverThreads;
  private URI uri;

  @SuppressWarnings("unchecked")
  private static <K> K generate(com.nimbusds.jose.jwk.gen.JWKGenerator<?> generator) {
    try {
      return (K) generator.generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(JWK... keys) {
    body.set(new JWKSet(List.of(keys)).toPublicJWKSet().toString());
  }

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/jwks.json",
        exchange -> {
          requests.incrementAndGet();
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status.get(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    publish(OLD);
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private RemoteJwkSet keys() {
    return RemoteJwkSet.builder(uri)
        .timeSource(time)
        .minRefreshInterval(Duration.ofSeconds(30))
        .maxAge(Duration.ofMinutes(5))
        .build();
  }

  private JwtAuthFilter filter(RemoteJwkSet keys) {
    return JwtAuthFilter.builder(keys).timeSource(time).build();
  }

  private static int status(JwtAuthFilter filter, String token) throws Exception {
    return filter
        .filter(
            Request.of(
                "GET",
                "/me",
                Headers.of("Authorization", "Bearer " + token),
                new byte[0],
                "10.0.0.1"),
            request -> Response.ok("ok"))
        .status();
  }

  private static String oldToken() throws JOSEException {
    return JwtNimbusInteropTest.sign(JWSAlgorithm.RS256, "2026-10", new RSASSASigner(OLD));
  }

  private static String newToken() throws JOSEException {
    return JwtNimbusInteropTest.sign(JWSAlgorithm.ES256, "2026-11", new ECDSASigner(NEW));
  }

  @Test
  void theSetIsFetchedOnceAndServesManyTokens() throws Exception {
    RemoteJwkSet keys = keys();
    JwtAuthFilter filter = filter(keys);
    assertThat(requests).hasValue(0);

    for (int i = 0; i < 20; i++) {
      assertThat(status(filter, oldToken())).isEqualTo(200);
    }

    assertThat(requests).hasValue(1);
    assertThat(keys.stats()).isEqualTo(new RemoteJwkSet.Stats(1, 0, 1));
  }

  @Test
  void aNewKeyIdTriggersARefreshSoARotatedKeyIsFoundAtOnce() throws Exception {
    RemoteJwkSet keys = keys();
    JwtAuthFilter filter = filter(keys);
    assertThat(status(filter, oldToken())).isEqualTo(200);
    time.advance(Duration.ofSeconds(31));

    publish(OLD, NEW); // the identity provider rotates: the new key appears next to the old one

    assertThat(status(filter, newToken())).isEqualTo(200);
    assertThat(status(filter, oldToken())).isEqualTo(200);
    assertThat(requests).hasValue(2);

    time.advance(Duration.ofSeconds(31));
    publish(NEW); // and later retires the old one, which is refused once the set is refreshed
    time.advance(Duration.ofMinutes(5));
    assertThat(status(filter, oldToken())).isEqualTo(401);
    assertThat(status(filter, newToken())).isEqualTo(200);
    assertThat(requests).hasValue(3);
  }

  @Test
  void unknownKeyIdsTriggerAtMostOneRefreshPerInterval() throws Exception {
    RemoteJwkSet keys = keys();
    JwtAuthFilter filter = filter(keys);
    assertThat(status(filter, oldToken())).isEqualTo(200);
    time.advance(Duration.ofSeconds(31));

    for (int i = 0; i < 50; i++) {
      String forged =
          JwtNimbusInteropTest.sign(JWSAlgorithm.RS256, "forged-" + i, new RSASSASigner(OLD));
      assertThat(status(filter, forged)).isEqualTo(401);
    }
    assertThat(requests).as("one refresh for fifty unknown key ids").hasValue(2);

    publish(OLD, NEW);
    assertThat(status(filter, newToken())).as("rate-limited: not fetched yet").isEqualTo(401);
    assertThat(requests).hasValue(2);
    time.advance(Duration.ofSeconds(30));
    assertThat(status(filter, newToken())).isEqualTo(200);
    assertThat(requests).hasValue(3);
    assertThat(filter.stats().rejected(JwtAuthFilter.Reason.UNKNOWN_KEY)).isEqualTo(51);
  }

  @Test
  void concurrentCallersWithAnUnknownKeyIdShareOneFetch() throws Exception {
    RemoteJwkSet keys = keys();
    JwtAuthFilter filter = filter(keys);
    assertThat(status(filter, oldToken())).isEqualTo(200);
    time.advance(Duration.ofSeconds(31));
    publish(OLD, NEW);
    String token = newToken();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return status(filter, token);
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(requests).hasValue(2);
  }

  @Test
  void anAgedSetIsFetchedAgain() throws Exception {
    RemoteJwkSet keys = keys();
    keys.keys(null);
    time.advance(Duration.ofMinutes(4));
    keys.keys(null);
    assertThat(requests).hasValue(1);

    time.advance(Duration.ofMinutes(1));
    keys.keys(null);

    assertThat(requests).hasValue(2);
  }

  @Test
  void withoutAnyKeysTokensAreRefusedAsKeysUnavailableAndFailedFetchesAreRateLimitedToo()
      throws Exception {
    status.set(503);
    RemoteJwkSet keys = keys();
    JwtAuthFilter filter = filter(keys);

    assertThat(status(filter, oldToken())).isEqualTo(401);
    assertThat(status(filter, oldToken())).isEqualTo(401);
    assertThatThrownBy(() -> keys.keys("2026-10"))
        .isInstanceOf(LintelException.class)
        .hasMessageContaining(uri.toString())
        .hasMessageContaining("HTTP status 503");

    assertThat(requests).hasValue(1);
    assertThat(filter.stats().rejected(JwtAuthFilter.Reason.KEYS_UNAVAILABLE)).isEqualTo(2);
    status.set(200);
    time.advance(Duration.ofSeconds(30));
    assertThat(status(filter, oldToken())).isEqualTo(200);
    assertThat(keys.stats()).isEqualTo(new RemoteJwkSet.Stats(2, 1, 1));
  }

  @Test
  void aFailedRefreshKeepsTheKeysFetchedBefore() throws Exception {
    RemoteJwkSet keys = keys();
    JwtAuthFilter filter = filter(keys);
    assertThat(status(filter, oldToken())).isEqualTo(200);

    body.set("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}"); // no usable key
    time.advance(Duration.ofMinutes(5));

    assertThat(status(filter, oldToken())).isEqualTo(200);
    assertThat(keys.stats()).isEqualTo(new RemoteJwkSet.Stats(2, 1, 1));
  }

  @Test
  void aSetLargerThanTheLimitIsNotTaken() {
    RemoteJwkSet keys = RemoteJwkSet.builder(uri).maxBytes(100).timeSource(time).build();

    assertThatThrownBy(() -> keys.keys(null)).hasMessageContaining("larger than 100 bytes");
  }

  @Test
  void onlyHttpsOrLoopbackHttpUrlsAreAccepted() {
    assertThatThrownBy(() -> RemoteJwkSet.builder(URI.create("http://id.example/jwks")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(() -> RemoteJwkSet.builder(URI.create("file:///etc/jwks.json")))
        .hasMessageContaining("https");
    assertThat(RemoteJwkSet.builder(URI.create("https://id.example/jwks")).build())
        .hasToString("RemoteJwkSet[https://id.example/jwks]");
    assertThatThrownBy(() -> RemoteJwkSet.builder(uri).minRefreshInterval(Duration.ofSeconds(-1)))
        .hasMessageContaining("but was PT-1S");
  }
}
