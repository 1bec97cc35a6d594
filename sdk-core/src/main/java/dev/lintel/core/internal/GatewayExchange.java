package dev.lintel.core.internal;

import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import org.jspecify.annotations.Nullable;

/**
 * What a pipeline knows about one request in flight and shares with the SDK's own filters and
 * handlers, but not with the public {@link Request}: when the request came in (the pipeline's one
 * clock read, which the rate limit, the breaker and the access log share) and the request as it was
 * last passed further in (so that an access log further out sees the principal an authentication
 * filter further in attached).
 *
 * <p>Filters reach it through the {@link Filter.Chain} they are given: the chains a pipeline hands
 * out are {@link ExchangeChain}s. A chain made elsewhere (by {@link Filter#around}, or a test) has
 * none, and the component reads its own time source instead. An exchange belongs to one request and
 * is used by one thread at a time, like the request's chain.
 */
public interface GatewayExchange {

  /**
   * Tells when the pipeline took the request.
   *
   * @return a reading of {@link #nanoTime()}'s clock
   */
  long arrivalNanos();

  /**
   * Reads the clock the arrival time came from, for the end of a duration that starts at arrival.
   *
   * @return the pipeline's time source's monotonic reading
   */
  long nanoTime();

  /**
   * Tells who is calling, as the request last passed further in says.
   *
   * @return the principal, or null if no filter so far authenticated the request
   */
  @Nullable String principal();

  /**
   * Records the request a chain passes further in.
   *
   * @param request the request
   */
  void passing(Request request);

  /**
   * Finds the exchange of a filter's chain.
   *
   * @param next the chain a filter was given
   * @return its exchange, or null if the chain is not a pipeline's
   */
  static @Nullable GatewayExchange of(Filter.Chain next) {
    return next instanceof ExchangeChain chain ? chain.exchange() : null;
  }

  /** A {@link Filter.Chain} that belongs to one request in a pipeline. */
  interface ExchangeChain extends Filter.Chain {

    /**
     * Tells the exchange of the request this chain carries.
     *
     * @return the exchange, or null if the chain is not (or no longer) inside a pipeline
     */
    @Nullable GatewayExchange exchange();
  }
}
