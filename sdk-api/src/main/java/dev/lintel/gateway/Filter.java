package dev.lintel.gateway;

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
