package dev.lintel.core.gateway;

import dev.lintel.TimeSource;
import dev.lintel.core.internal.GatewayExchange;
import dev.lintel.gateway.Handler;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A route's handler behind a resilience4j circuit breaker: exceptions and 5xx responses count as
 * failures; while the breaker is open the route answers 503 at once, without calling the handler.
 * {@link #healthCheck()} is DEGRADED while it is not closed (never DOWN: only this route suffers).
 *
 * <p><b>Durations</b> (for the breaker's slow-call rate) count from when the pipeline took the
 * request to when the handler returned, on the pipeline's {@link TimeSource}: the pipeline reads
 * the clock once per request and everything in it measures from that reading, as Envoy measures
 * from its once-per-loop approximate time. On virtual machines a clock read costs tens of
 * nanoseconds, a third of a whole resilience4j call. Filters before the route (normally
 * microseconds) are thus counted too; behind slow filters (a remote token introspection, a Redis
 * rate limit) with a tight slow-call threshold, use {@link #measuringHandlerOnly()}, which reads
 * the clock when the handler starts, as a resilience4j decorator does. This needs the handler to be
 * the route's own handler; wrapped in another handler (by {@code Filter.around}, for example) or
 * called directly, it measures the handler alone on {@link TimeSource#system()}.
 *
 * <p>The breaker's own timing (how long it stays open) follows the {@code clock} of its {@link
 * CircuitBreakerConfig}.
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
  private final boolean handlerOnly;

  private CircuitBreakingHandler(CircuitBreaker breaker, Handler handler, boolean handlerOnly) {
    this.breaker = breaker;
    this.handler = handler;
    this.handlerOnly = handlerOnly;
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
        Objects.requireNonNull(handler, "handler"),
        false);
  }

  /**
   * The same route and breaker, but durations measured from when the handler starts: one more clock
   * read per call, for routes behind slow filters with a tight slow-call threshold.
   *
   * @return a handler sharing this one's breaker
   */
  public CircuitBreakingHandler measuringHandlerOnly() {
    return new CircuitBreakingHandler(breaker, handler, true);
  }

  /**
   * Calls the handler through the breaker, measuring the handler alone on {@link
   * TimeSource#system()}: what a wrapping handler or a direct call gets. As a pipeline's route the
   * handler measures from the request's arrival instead (see the class comment).
   *
   * @param request the request
   * @return the handler's response, or 503 while the breaker is open
   * @throws Exception what the handler threw, counted as a failure
   */
  @Override
  public Response handle(Request request) throws Exception {
    return handle(request, null);
  }

  /**
   * Calls the handler through the breaker; in a pipeline (an exchange given), on the pipeline's
   * time source and, unless measuring the handler only, from the request's arrival.
   */
  Response handle(Request request, @Nullable GatewayExchange exchange) throws Exception {
    if (!breaker.tryAcquirePermission()) {
      return unavailable();
    }
    long start =
        exchange == null
            ? TimeSource.system().nanoTime()
            : handlerOnly ? exchange.nanoTime() : exchange.arrivalNanos();
    Response response;
    try {
      response = handler.handle(request);
    } catch (Exception e) {
      breaker.onError(now(exchange) - start, TimeUnit.NANOSECONDS, e);
      throw e;
    }
    long nanos = now(exchange) - start;
    if (response.status() >= 500) {
      failed(response, nanos);
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
    return response;
  }

  private static Response unavailable() {
    return Response.text(503, "service unavailable").withHeader("Retry-After", "1");
  }

  private void failed(Response response, long nanos) {
    breaker.onError(
        nanos, TimeUnit.NANOSECONDS, new IllegalStateException("status " + response.status()));
  }

  private static long now(@Nullable GatewayExchange exchange) {
    return exchange == null ? TimeSource.system().nanoTime() : exchange.nanoTime();
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
