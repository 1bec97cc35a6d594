package dev.lintel.micrometer;

import dev.lintel.core.gateway.CircuitBreakingHandler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The state of a gateway route's circuit breaker as resilience4j's own Micrometer module shows it:
 * one gauge per state ({@code lintel.gateway.breaker.state}, tags {@code route} and {@code state}),
 * 1 for the current state and 0 for the others.
 */
final class BreakerMetrics {
  private BreakerMetrics() {}

  static void register(
      String route, CircuitBreakingHandler handler, MeterSink sink, MeterRegistry registry) {
    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
      sink.track(
          registry,
          Gauge.builder("lintel.gateway.breaker.state", handler, h -> h.state() == state ? 1 : 0)
              .tag("route", route)
              .tag("state", state.name().toLowerCase(Locale.ROOT))
              .description("1 for the route's circuit-breaker state, 0 for the others")
              .register(registry));
    }
  }
}
