package dev.lintel.gateway;

import java.util.Objects;

/**
 * A step around the handler: it may answer at once (short-circuit), or pass the request on through
 * {@link Chain#proceed} and look at or change the response. Requests are immutable: to tell the
 * rest of the pipeline something, pass on a changed copy, for example after authenticating:
 *
 * <pre>{@code
 * Filter apiKeys = (request, next) -> {
 *   String owner = keys.ownerOf(request.header("X-Api-Key"));
 *   return owner == null
 *       ? Response.text(401, "unauthorized")
 *       : next.proceed(request.withPrincipal(owner).withAttribute(PLAN, keys.planOf(owner)));
 * };
 * }</pre>
 *
 * Filters run in the order they were added, and may be called from many threads at once.
 */
@FunctionalInterface
public interface Filter {

  /**
   * Filters a request.
   *
   * @param request the request
   * @param next the rest of the pipeline
   * @return the response
   * @throws Exception answered by the pipeline with a 500; the details go to the log only
   */
  Response filter(Request request, Chain next) throws Exception;

  /**
   * Puts this filter around one handler only, for example to cache or transform a single route.
   *
   * <pre>{@code
   * Pipeline.builder().route("GET", "/products/{id}", caching.around(products::find));
   * }</pre>
   *
   * @param handler the handler
   * @return a handler that runs this filter, then the handler
   */
  default Handler around(Handler handler) {
    Chain chain = Objects.requireNonNull(handler, "handler")::handle;
    return request -> filter(request, chain);
  }

  /**
   * The rest of the pipeline after a filter. A chain is good while the filter it was given to runs,
   * on that filter's thread: call it before returning, not from another thread afterwards. It may
   * be called more than once (to retry); each call runs the rest of the pipeline again.
   */
  @FunctionalInterface
  interface Chain {

    /**
     * Passes the request on.
     *
     * @param request the request as the rest of the pipeline should see it: the one given, or a
     *     changed copy
     * @return the response of the rest of the pipeline
     * @throws Exception what the rest of the pipeline threw
     */
    Response proceed(Request request) throws Exception;
  }
}
