package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.ManualTimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitFilterTest {
  private final ManualTimeSource time = ManualTimeSource.create();

  private Pipeline pipeline(Filter limit, String template) {
    return Pipeline.builder()
        .timeSource(time)
        .filter(limit)
        .route("GET", template, request -> Response.ok("ok"))
        .build();
  }

  @Test
  void manyThreadsGetExactlyTheCapacityWhileTimeStandsStill() throws Exception {
    Pipeline pipeline = pipeline(RateLimitFilter.keyedBy(100, 1.0, request -> "all", time), "/");
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
    Pipeline pipeline =
        pipeline(RateLimitFilter.keyedBy(2, 0.5, request -> "k", time), "/"); // 1 per 2 s

    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(200);
    Response refused = pipeline.handle(Request.of("GET", "/"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("2");

    time.advance(Duration.ofSeconds(2));
    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(429);
  }

  @Test
  void eachPrincipalHasItsOwnBucket() {
    RateLimitFilter limit = RateLimitFilter.perPrincipal(1, 0.001);
    Pipeline pipeline =
        Pipeline.builder()
            .filter(
                (request, next) -> next.proceed(request.withPrincipal(request.path().substring(1))))
            .filter(limit)
            .route("GET", "/{user}", request -> Response.ok("ok"))
            .build();

    assertThat(pipeline.handle(Request.of("GET", "/ada")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/bob")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/ada")).status()).isEqualTo(429);
  }

  @Test
  void sweepingIdleKeysKeepsEveryLimitExact() throws Exception {
    Pipeline pipeline =
        pipeline(RateLimitFilter.keyedBy(5, 1.0, request -> request.path(), time), "/{key}");
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
            time.advance(Duration.ofNanos(1_000)); // 40 ms in all: no refill of 1 per second
          }
        });

    assertThat(hotAdmitted).hasValue(5);
  }

  @Test
  void inAPipelineTheTimeOfARequestIsWhenThePipelineTookIt() {
    // The limit's own time source must not be read: the pipeline's reading is the request's time.
    RateLimitFilter limit =
        RateLimitFilter.keyedBy(1, 1.0, request -> "k", TestTimeSources.unread());
    Pipeline pipeline =
        Pipeline.builder()
            .timeSource(time)
            .filter(
                (request, next) -> {
                  if (request.header("X-Slow") != null) {
                    time.advance(Duration.ofSeconds(2)); // a slow filter before the limit
                  }
                  return next.proceed(request);
                })
            .filter(limit)
            .route("GET", "/", request -> Response.ok("ok"))
            .build();
    Request slow = Request.of("GET", "/", Headers.of("X-Slow", "1"), new byte[0], "10.0.0.1");

    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(200);
    // Two seconds passed in the filter before the limit, but the request came in at the same
    // instant as the first one: no token is back for it.
    assertThat(pipeline.handle(slow).status()).isEqualTo(429);
    assertThat(pipeline.handle(Request.of("GET", "/")).status()).isEqualTo(200);
  }

  @Test
  void outsideAPipelineTheFilterReadsItsOwnTimeSource() throws Exception {
    RateLimitFilter limit = RateLimitFilter.keyedBy(1, 1.0, request -> "k", time);
    Filter.Chain admitted = request -> Response.ok("ok");

    assertThat(limit.filter(Request.of("GET", "/"), admitted).status()).isEqualTo(200);
    assertThat(limit.around(request -> Response.ok("ok")).handle(Request.of("GET", "/")).status())
        .isEqualTo(429);
    time.advance(Duration.ofSeconds(1));
    assertThat(limit.filter(Request.of("GET", "/"), admitted).status()).isEqualTo(200);
  }
}
