package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Handler;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResponseCachingFilterTest {
  private final TieredCache<String, Response> responses =
      TieredCache.builder("responses", KeyCodec.strings(), Response.class)
          .config(TieredCacheConfig.custom().l1(1_000, Duration.ofMinutes(1)).build())
          .build();
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void close() {
    responses.close();
  }

  /** A handler that counts its calls and answers who asked for what. */
  private Response answer(Request request) {
    int call = calls.incrementAndGet();
    return Response.ok(request.path() + "?" + request.query() + " for " + request.principal())
        .withHeader("X-Call", Integer.toString(call));
  }

  private Pipeline pipeline(ResponseCachingFilter caching, Handler handler) {
    return Pipeline.builder()
        .filter(new TrustedUserHeader())
        .route("GET", "/products/{id}", caching.around(handler))
        .route("POST", "/products/{id}", caching.around(handler))
        .build();
  }

  /**
   * Waits until every caller has gone into the pipeline and parked: the one in the slow origin, the
   * others joined to its trip.
   */
  private static void awaitAllParked(java.util.Set<Thread> callers, int count) {
    dev.lintel.testing.Eventually.awaitTrue(
        () ->
            callers.size() == count
                && callers.stream()
                    .allMatch(
                        thread ->
                            thread.getState() == Thread.State.WAITING
                                || thread.getState() == Thread.State.TIMED_WAITING),
        "every caller to wait for the trip in flight");
  }

  private static Request get(String target, String... headers) {
    return Request.of("GET", target, Headers.of(headers), new byte[0], "10.0.0.1");
  }

  private static final AttributeKey<Thread> CALLER = AttributeKey.of("test.caller", Thread.class);

  @Test
  void aRepeatedGetIsAHitAndTheHandlerRunsOnce() {
    Pipeline pipeline = pipeline(ResponseCachingFilter.builder(responses).build(), this::answer);

    Response first = pipeline.handle(get("/products/1?color=red"));
    Response second = pipeline.handle(get("/products/1?color=red"));
    Response otherQuery = pipeline.handle(get("/products/1?color=blue"));

    assertThat(first.header("X-Cache")).isEqualTo("MISS");
    assertThat(second.header("X-Cache")).isEqualTo("HIT");
    assertThat(second.bodyText())
        .isEqualTo(first.bodyText())
        .isEqualTo("/products/1?color=red for null");
    assertThat(second.header("X-Call")).isEqualTo("1");
    assertThat(otherQuery.header("X-Cache")).isEqualTo("MISS");
    assertThat(calls).hasValue(2);
  }

  @Test
  void answersAreKeptPerPrincipalAndPerVariedHeader() {
    Pipeline pipeline =
        pipeline(ResponseCachingFilter.builder(responses).varyBy("Accept").build(), this::answer);

    assertThat(pipeline.handle(get("/products/1", "X-User", "ada")).bodyText()).endsWith("for ada");
    assertThat(pipeline.handle(get("/products/1", "X-User", "bob")).bodyText()).endsWith("for bob");
    assertThat(pipeline.handle(get("/products/1", "X-User", "ada")).header("X-Cache"))
        .isEqualTo("HIT");
    assertThat(
            pipeline
                .handle(get("/products/1", "X-User", "ada", "Accept", "text/csv"))
                .header("X-Cache"))
        .isEqualTo("MISS");
    assertThat(calls).hasValue(3);
  }

  @Test
  void sharedAnswersIgnoreThePrincipal() {
    Pipeline pipeline =
        pipeline(
            ResponseCachingFilter.builder(responses).sharedAcrossPrincipals().build(),
            this::answer);

    pipeline.handle(get("/products/1", "X-User", "ada"));
    Response forBob = pipeline.handle(get("/products/1", "X-User", "bob"));

    assertThat(forBob.header("X-Cache")).isEqualTo("HIT");
    assertThat(calls).hasValue(1);
  }

  @Test
  void credentialsWithoutAPrincipalAreNeverCached() {
    Pipeline pipeline = pipeline(ResponseCachingFilter.builder(responses).build(), this::answer);

    pipeline.handle(get("/products/1", "Authorization", "Bearer a"));
    Response again = pipeline.handle(get("/products/1", "Cookie", "session=b"));

    assertThat(again.header("X-Cache")).isNull();
    assertThat(calls).hasValue(2);
  }

  @Test
  void uncacheableAnswersAndOtherMethodsPassThroughEveryTime() {
    List<Response> answers =
        List.of(
            Response.text(500, "down"),
            Response.ok("private").withHeader("Cache-Control", "private, max-age=60"),
            Response.ok("nope").withHeader("cache-control", "no-store"),
            Response.ok("session").withHeader("Set-Cookie", "s=1"),
            Response.ok("x".repeat(101)));
    for (Response uncacheable : answers) {
      calls.set(0);
      Pipeline pipeline =
          pipeline(
              ResponseCachingFilter.builder(responses).maxBodyBytes(100).build(),
              request -> {
                calls.incrementAndGet();
                return uncacheable;
              });

      Response first = pipeline.handle(get("/products/2"));
      Response second = pipeline.handle(get("/products/2"));

      assertThat(first.bodyText()).isEqualTo(uncacheable.bodyText());
      assertThat(second.header("X-Cache")).as(uncacheable.bodyText()).isNull();
      assertThat(calls).as(uncacheable.bodyText()).hasValue(2);
    }
    calls.set(0);
    Pipeline pipeline = pipeline(ResponseCachingFilter.builder(responses).build(), this::answer);
    pipeline.handle(Request.of("POST", "/products/3"));
    pipeline.handle(Request.of("POST", "/products/3"));
    assertThat(calls).hasValue(2);
  }

  @Test
  void otherStatusesCanBeCached() {
    Pipeline pipeline =
        pipeline(
            ResponseCachingFilter.builder(responses).statuses(200, 404).build(),
            request -> {
              calls.incrementAndGet();
              return Response.text(404, "no such product");
            });

    pipeline.handle(get("/products/404"));
    Response again = pipeline.handle(get("/products/404"));

    assertThat(again.status()).isEqualTo(404);
    assertThat(again.header("X-Cache")).isEqualTo("HIT");
    assertThat(calls).hasValue(1);
    assertThatThrownBy(() -> ResponseCachingFilter.builder(responses).statuses(100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("100");
  }

  @Test
  void concurrentMissesOfOneKeyShareOneTripDownThePipeline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Pipeline pipeline =
        pipeline(
            ResponseCachingFilter.builder(responses).build(),
            request -> {
              release.await(10, TimeUnit.SECONDS);
              return answer(request);
            });
    int threads = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    java.util.Set<Thread> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try {
      List<Future<Response>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  ready.await();
                  callers.add(Thread.currentThread());
                  return pipeline.handle(get("/products/hot"));
                }));
      }
      awaitAllParked(callers, threads);
      release.countDown();
      for (Future<Response> result : results) {
        Response response = result.get(10, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Call")).isEqualTo("1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void whenASharedTripIsUncacheableEachWaiterGoesDownThePipelineOnItsOwnThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> foreignThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    Pipeline pipeline =
        pipeline(
            ResponseCachingFilter.builder(responses).build(),
            request -> {
              release.await(10, TimeUnit.SECONDS);
              calls.incrementAndGet();
              if (request.attribute(CALLER) != Thread.currentThread()) {
                foreignThreads.add(Thread.currentThread().getName());
              }
              return Response.ok("fresh").withHeader("Cache-Control", "no-store");
            });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    java.util.Set<Thread> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try {
      List<Future<Response>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  Request request =
                      get("/products/live").withAttribute(CALLER, Thread.currentThread());
                  callers.add(Thread.currentThread());
                  return pipeline.handle(request);
                }));
      }
      awaitAllParked(callers, 8);
      release.countDown();
      for (Future<Response> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS).bodyText()).isEqualTo("fresh");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls).hasValue(8);
    assertThat(foreignThreads).as("a caller's request handled on another thread").isEmpty();
  }

  @Test
  void aFailingHandlerIsNotCachedAndItsExceptionReachesThePipeline() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    ResponseCachingFilter caching = ResponseCachingFilter.builder(responses).build();
    Handler flaky =
        request -> {
          if (attempts.incrementAndGet() == 1) {
            throw new IllegalStateException("origin down");
          }
          return Response.ok("back");
        };

    assertThatThrownBy(() -> caching.around(flaky).handle(get("/products/5")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("origin down");
    assertThat(caching.around(flaky).handle(get("/products/5")).bodyText()).isEqualTo("back");
  }

  @Test
  void invalidatingAPathDropsEveryVariantOfItAndNothingElse() {
    ResponseCachingFilter caching = ResponseCachingFilter.builder(responses).build();
    Pipeline pipeline = pipeline(caching, this::answer);
    pipeline.handle(get("/products/1?a=1"));
    pipeline.handle(get("/products/1", "X-User", "ada"));
    pipeline.handle(get("/products/10"));

    caching.invalidatePath("/products/1");

    assertThat(pipeline.handle(get("/products/1?a=1")).header("X-Cache")).isEqualTo("MISS");
    assertThat(pipeline.handle(get("/products/1", "X-User", "ada")).header("X-Cache"))
        .isEqualTo("MISS");
    assertThat(pipeline.handle(get("/products/10")).header("X-Cache")).isEqualTo("HIT");
  }

  @Test
  void answersThatVaryByHeadersOutsideTheKeyOrSayPrivateInAnyCaseAreNotKept() {
    List<Response> answers =
        List.of(
            Response.ok("vary star").withHeader("Vary", "*"),
            Response.ok("vary cookie").withHeader("Vary", "Accept, Cookie"),
            Response.of(
                200,
                Headers.of("cache-control", "private", "Cache-Control", "max-age=60"),
                "two cases".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    for (Response answer : answers) {
      calls.set(0);
      Pipeline pipeline =
          pipeline(
              ResponseCachingFilter.builder(responses).varyBy("Accept").build(),
              request -> {
                calls.incrementAndGet();
                return answer;
              });

      pipeline.handle(get("/products/vary"));
      pipeline.handle(get("/products/vary"));

      assertThat(calls).as(answer.bodyText()).hasValue(2);
    }
    calls.set(0);
    Pipeline byAccept =
        pipeline(
            ResponseCachingFilter.builder(responses).varyBy("Accept").build(),
            request -> {
              calls.incrementAndGet();
              return Response.ok("by accept").withHeader("Vary", "accept");
            });
    byAccept.handle(get("/products/keyed", "Accept", "text/csv"));
    assertThat(byAccept.handle(get("/products/keyed", "Accept", "text/csv")).header("X-Cache"))
        .isEqualTo("HIT");
    assertThat(calls).hasValue(1);
  }

  @Test
  void apiKeysAndConfiguredCredentialHeadersWithoutAPrincipalAreNeverCached() {
    Pipeline pipeline =
        pipeline(
            ResponseCachingFilter.builder(responses).credentialHeaders("X-Session").build(),
            this::answer);

    pipeline.handle(get("/products/1", "X-Api-Key", "k1"));
    pipeline.handle(get("/products/1", "X-Api-Key", "k2"));
    pipeline.handle(get("/products/1", "x-session", "s1"));
    pipeline.handle(get("/products/1", "Proxy-Authorization", "Basic x"));

    assertThat(calls).hasValue(4);
  }
}
