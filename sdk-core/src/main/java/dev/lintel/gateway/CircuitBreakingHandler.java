package dev.lintel.gateway;

import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A route's handler behind a resilience4j circuit breaker: exceptions and 5xx responses count as
 * failures; while the breaker is open the route answers 503 at once, without calling the handler.
 * {@link #healthCheck()} is DEGRADED while it is not closed (never DOWN: only this route suffers).
 * Call durations (for the breaker's slow-call rate) are the handler's own, as resilience4j measures
 * a decorated call: time spent in filters before it does not count against the downstream.
 *
 * <pre>{@code
 * CircuitBreakingHandler inventory = CircuitBreakingHandler.of("inventory", downstream::call);
 * Pipeline.builder().route("GET", "/stock/{sku}", inventory)...;
 * health.register("route:inventory", Set.of(HealthGroup.READINESS), inventory.healthCheck());
 * }</pre>
 */
public final class CircuitBreakingHandler implements Handler {
  private final CircuitBreaker breaker;
  private final Handler handler;

  private CircuitBreakingHandler(CircuitBreaker breaker, Handler handler) {
    this.breaker = breaker;
    this.handler = handler;
  }

  /**
   * Protects a handler with resilience4j's default breaker settings.
   *
   * @param name the route's name, for the breaker and health
   * @param handler the handler
   * @return the protected handler
   */
  public static CircuitBreakingHandler of(String name, Handler handler) {
    return of(name, handler, CircuitBreakerConfig.ofDefaults());
  }

  /**
   * Protects a handler with the given breaker settings.
   *
   * @param name the route's name
   * @param handler the handler
   * @param config the breaker's settings
   * @return the protected handler
   */
  public static CircuitBreakingHandler of(
      String name, Handler handler, CircuitBreakerConfig config) {
    return new CircuitBreakingHandler(
        CircuitBreaker.of(Objects.requireNonNull(name, "name"), config),
        Objects.requireNonNull(handler, "handler"));
  }

  @Override
  public Response handle(Request request) throws Exception {
    if (!breaker.tryAcquirePermission()) {
      return Response.text(503, "service unavailable").withHeader("Retry-After", "1");
    }
    long start = System.nanoTime();
    Response response;
    try {
      response = handler.handle(request);
    } catch (Exception e) {
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
      throw e;
    }
    if (response.status() >= 500) {
      breaker.onError(
          System.nanoTime() - start,
          TimeUnit.NANOSECONDS,
          new IllegalStateException("status " + response.status()));
    } else {
      breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    return response;
  }

  /**
   * Tells the breaker's state.
   *
   * @return the state
   */
  public CircuitBreaker.State state() {
    return breaker.getState();
  }

  /**
   * Reports the breaker: UP while closed, DEGRADED otherwise.
   *
   * @return a health check for readiness
   */
  public HealthCheck healthCheck() {
    return () -> {
      CircuitBreaker.State state = breaker.getState();
      return state == CircuitBreaker.State.CLOSED
          ? Health.up("breaker " + breaker.getName() + " CLOSED")
          : Health.degraded("breaker " + breaker.getName() + " " + state);
    };
  }
}
