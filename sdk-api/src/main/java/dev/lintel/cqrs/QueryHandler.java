package dev.lintel.cqrs;

/**
 * Handles one type of query. A handler is called from many threads at once and must be thread-safe;
 * an unchecked exception it throws reaches the caller unchanged.
 *
 * @param <Q> the query type it handles
 * @param <R> the result it returns
 */
@FunctionalInterface
public interface QueryHandler<Q extends Query<R>, R> {

  /**
   * Answers the query.
   *
   * @param query the query, never null
   * @return the result
   */
  R handle(Q query);
}
