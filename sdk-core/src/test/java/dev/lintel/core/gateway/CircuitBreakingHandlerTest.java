package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.health.HealthStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakingHandlerTest {

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
                .build());
    Pipeline pipeline =
        Pipeline.builder()
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
    Thread.sleep(250);
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

  /** Two requests that spent five seconds in filters before reaching the route. */
  private static void sendTwoRequestsThatWaitedInFilters(CircuitBreakingHandler route)
      throws Exception {
    for (int i = 0; i < 2; i++) {
      Request waitedInFilters = Request.of("GET", "/reports");
      waitedInFilters.receivedAt(System.nanoTime() - Duration.ofSeconds(5).toNanos());
      assertThat(route.handle(waitedInFilters).status()).isEqualTo(200);
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
