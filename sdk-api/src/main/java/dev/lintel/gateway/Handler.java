package dev.lintel.gateway;

/** Answers the requests routed to it. May be called from many threads at once. */
@FunctionalInterface
public interface Handler {

  /**
   * Answers a request.
   *
   * @param request the request
   * @return the response
   * @throws Exception answered by the pipeline with a 500; the details go to the log only
   */
  Response handle(Request request) throws Exception;
}
