package dev.lintel.gateway;

import java.util.Objects;

/**
 * A step around the handler: it may answer at once (short-circuit), or pass the request on through
 * {@link Chain#proceed} and look at or change the response. Filters run in the order they were
 * added, and may be called from many threads at once.
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

  /** The rest of the pipeline after a filter. */
  @FunctionalInterface
  interface Chain {

    /**
     * Passes the request on.
     *
     * @param request the request
     * @return the response of the rest of the pipeline
     * @throws Exception what the rest of the pipeline threw
     */
    Response proceed(Request request) throws Exception;
  }
}
