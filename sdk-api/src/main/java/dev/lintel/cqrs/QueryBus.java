package dev.lintel.cqrs;

import dev.lintel.Registration;
import java.util.concurrent.CompletableFuture;

/**
 * Dispatches each query to the one handler registered for its exact class.
 *
 * <p>Thread-safe: handlers may be registered and queries asked from any number of threads. The
 * synchronous {@link #ask} runs the handler on the caller's thread and blocks until it returns;
 * {@link #askAsync} runs it on the bus's executor.
 */
public interface QueryBus {

  /**
   * Registers the handler for one query class.
   *
   * @param queryType the exact class of the queries to answer
   * @param handler the handler
   * @param <Q> the query type
   * @param <R> its result type
   * @return a registration that removes the handler when closed
   * @throws DuplicateHandlerException if a handler for that class is already registered
   */
  <Q extends Query<R>, R> Registration register(Class<Q> queryType, QueryHandler<Q, R> handler);

  /**
   * Asks a query and waits for its answer.
   *
   * @param query the query
   * @param <R> its result type
   * @return what the handler returned
   * @throws NoHandlerException if no handler is registered for the query's class
   * @throws dev.lintel.ShuttingDownException if the bus has begun to shut down; the handler did not
   *     run
   * @throws RuntimeException whatever the handler or an interceptor threw, unchanged
   */
  <R> R ask(Query<R> query);

  /**
   * Asks a query to be answered on the bus's executor. Failures never throw from this method: the
   * future completes exceptionally with the original exception, a {@link NoHandlerException} or a
   * {@link dev.lintel.ShuttingDownException}.
   *
   * @param query the query
   * @param <R> its result type
   * @return a future completed with the handler's answer
   */
  <R> CompletableFuture<R> askAsync(Query<R> query);
}
