package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.testing.Concurrently;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitFilterTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @Test
  void manyThreadsGetExactlyTheCapacityWhileTimeStandsStill() throws Exception {
    RateLimitFilter limit = RateLimitFilter.keyedBy(100, 1.0, request -> "all", clock::get);
    Pipeline pipeline =
        Pipeline.builder().filter(limit).route("GET", "/", request -> Response.ok("ok")).build();
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();

    Concurrently.run(
        32,
        thread -> {
          for (int i = 0; i < 20; i++) {
            Response response = pipeline.handle(Request.of("GET", "/"));
            (response.status() == 200 ? admitted : refused).incrementAndGet();
          }
        });

    assertThat(admitted).hasValue(100);
    assertThat(refused).hasValue(32 * 20 - 100);
  }

  @Test
  void tokensComeBackAtTheRateAndRefusalsSayWhen() {
    RateLimitFilter limit =
        RateLimitFilter.keyedBy(2, 0.5, request -> "k", clock::get); // 1 per 2 s
    Pipeline pipeline =
        Pipeline.builder().filter(limit).route("GET", "/", request -> Response.ok("ok")).build();

    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(200);
    Response refused = pipeline.handle(Request.of("GET", "/"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.headers()).containsEntry("Retry-After", "2");

    clock.addAndGet(2_000_000_000L);
    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(429);
  }

  @Test
  void eachPrincipalHasItsOwnBucket() {
    RateLimitFilter limit = RateLimitFilter.perPrincipal(1, 0.001);
    Pipeline pipeline =
        Pipeline.builder()
            .filter(
                (request, next) -> {
                  request.authenticate(request.path().substring(1));
                  return next.proceed(request);
                })
            .filter(limit)
            .route("GET", "/{user}", request -> Response.ok("ok"))
            .build();

    assertThat(pipeline.handle(Request.of("GET", "/ada")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/bob")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/ada")).status()).isEqualTo(429);
  }

  @Test
  void sweepingIdleKeysKeepsEveryLimitExact() throws Exception {
    RateLimitFilter limit = RateLimitFilter.keyedBy(5, 1.0, request -> request.path(), clock::get);
    Pipeline pipeline =
        Pipeline.builder()
            .filter(limit)
            .route("GET", "/{key}", request -> Response.ok("ok"))
            .build();
    AtomicInteger hotAdmitted = new AtomicInteger();

    Concurrently.run(
        8,
        thread -> {
          for (int i = 0; i < 5_000; i++) {
            // Many one-off keys trigger sweeps while every thread also hits one hot key.
            pipeline.handle(Request.of("GET", "/idle-" + thread + "-" + i));
            if (pipeline.handle(Request.of("GET", "/hot")).status() == 200) {
              hotAdmitted.incrementAndGet();
            }
            clock.addAndGet(1_000); // 40 ms in all: no refill of a 1-per-second bucket
          }
        });

    assertThat(hotAdmitted).hasValue(5);
  }

  @Test
  void onTheSystemClockTheTimeOfARequestIsWhenThePipelineTookIt() throws Exception {
    RateLimitFilter limit = RateLimitFilter.keyedBy(1, 1.0, request -> "k"); // 1 per second
    Filter.Chain admitted = request -> Response.ok("ok");
    long now = System.nanoTime();

    Request first = Request.of("GET", "/");
    first.receivedAt(now);
    Request sameInstant = Request.of("GET", "/");
    sameInstant.receivedAt(now);
    Request twoSecondsLater = Request.of("GET", "/");
    twoSecondsLater.receivedAt(now + 2_000_000_000L);

    assertThat(limit.filter(first, admitted).status()).isEqualTo(200);
    assertThat(limit.filter(sameInstant, admitted).status()).isEqualTo(429);
    // No time passed on any clock, but this request came in two seconds later: a token is back.
    assertThat(limit.filter(twoSecondsLater, admitted).status()).isEqualTo(200);
  }
}
