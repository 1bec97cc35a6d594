package dev.lintel.core.gateway;

import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Filters that change requests on their way in and responses on their way out: rewriting paths,
 * adding or removing headers, reshaping bodies. Put them in the pipeline, or around one route with
 * {@link Filter#around}.
 *
 * <pre>{@code
 * AttributeKey<String> ID = Pipeline.pathParameter("id");
 * Pipeline.builder()
 *     .filter(Transform.request(request -> request.withoutHeader("Cookie")))
 *     .filter(Transform.response((request, response) -> response.withHeader("Cache-Control", "no-store")))
 *     .route("GET", "/legacy/{id}", Transform.request(r -> r.withPath("/orders/" + r.attribute(ID)))
 *         .around(orders::find));
 * }</pre>
 *
 * <p>A transformation that throws fails that request with a 500, as any filter does. Thread-safe if
 * the given functions are.
 */
public final class Transform {
  private Transform() {}

  /**
   * Changes each request before the rest of the pipeline sees it.
   *
   * @param change returns the request to pass on (often a {@code with...} copy)
   * @return the filter
   */
  public static Filter request(UnaryOperator<Request> change) {
    Objects.requireNonNull(change, "change");
    return (request, next) ->
        next.proceed(Objects.requireNonNull(change.apply(request), "transformed request"));
  }

  /**
   * Changes each response on its way back.
   *
   * @param change given the request (as this filter saw it) and the response, returns the response
   *     to answer
   * @return the filter
   */
  public static Filter response(BiFunction<Request, Response, Response> change) {
    Objects.requireNonNull(change, "change");
    return (request, next) ->
        Objects.requireNonNull(
            change.apply(request, next.proceed(request)), "transformed response");
  }
}
