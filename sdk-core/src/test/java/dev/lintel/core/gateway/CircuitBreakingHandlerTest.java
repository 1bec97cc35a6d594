package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.health.HealthStatus;
import dev.lintel.testing.ManualTimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakingHandlerTest {

  private final ManualTimeSource time = ManualTimeSource.create();

  @Test
  void aFailingDownstreamOpensTheBreakerAnd503sWithoutCallingIt() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    CircuitBreakingHandler inventory =
        CircuitBreakingHandler.of(
            "inventory",
            request -> {
              calls.incrementAndGet();
              return down.get() ? Response.text(502, "bad gateway") : Response.ok("in stock");
            },
            CircuitBreakerConfig.custom()
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .waitDurationInOpenState(Duration.ofMillis(200))
                .permittedNumberOfCallsInHalfOpenState(1)
                .clock(TestTimeSources.clockOf(time))
                .build());
    Pipeline pipeline =
        Pipeline.builder()
            .timeSource(time)
            .route("GET", "/stock", inventory)
            .route("GET", "/health", request -> Response.ok("fine"))
            .build();

    for (int i = 0; i < 4; i++) {
      assertThat(pipeline.handle(Request.of("GET", "/stock")).status()).isEqualTo(502);
    }
    assertThat(inventory.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(pipeline.handle(Request.of("GET", "/stock")).status()).isEqualTo(503);
    assertThat(calls).as("not called while open").hasValue(4);
    assertThat(inventory.healthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(pipeline.handle(Request.of("GET", "/health")).status())
        .as("other routes")
        .isEqualTo(200);

    down.set(false);
    time.advance(Duration.ofMillis(199));
    assertThat(pipeline.handle(Request.of("GET", "/stock")).status()).isEqualTo(503);
    time.advance(Duration.ofMillis(2));
    assertThat(pipeline.handle(Request.of("GET", "/stock")).bodyText()).isEqualTo("in stock");
    assertThat(inventory.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(inventory.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
  }

  private static CircuitBreakingHandler slowCallsOverOneSecond() {
    return CircuitBreakingHandler.of(
        "reports",
        request -> Response.ok("fast handler"),
        CircuitBreakerConfig.custom()
            .slidingWindowSize(2)
            .minimumNumberOfCalls(2)
            .slowCallDurationThreshold(Duration.ofSeconds(1))
            .slowCallRateThreshold(100)
            .build());
  }

  /** Sends two requests that spend five seconds in a filter before reaching the route. */
  private void sendTwoRequestsThatWaitedInFilters(CircuitBreakingHandler route) {
    Pipeline pipeline =
        Pipeline.builder()
            .timeSource(time)
            .filter(
                (request, next) -> {
                  time.advance(Duration.ofSeconds(5));
                  return next.proceed(request);
                })
            .route("GET", "/reports", route)
            .build();
    for (int i = 0; i < 2; i++) {
      assertThat(pipeline.handle(Request.of("GET", "/reports")).status()).isEqualTo(200);
    }
  }

  @Test
  void byDefaultDurationsCountFromWhenThePipelineTookTheRequest() throws Exception {
    CircuitBreakingHandler reports = slowCallsOverOneSecond();

    sendTwoRequestsThatWaitedInFilters(reports);

    assertThat(reports.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void measuringTheHandlerOnlyLeavesTimeInFiltersOut() throws Exception {
    CircuitBreakingHandler reports = slowCallsOverOneSecond().measuringHandlerOnly();

    sendTwoRequestsThatWaitedInFilters(reports);
    sendTwoRequestsThatWaitedInFilters(reports);

    assertThat(reports.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }
}
