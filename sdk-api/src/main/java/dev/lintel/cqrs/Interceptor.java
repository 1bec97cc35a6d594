package dev.lintel.cqrs;

import org.jspecify.annotations.Nullable;

/**
 * Wraps the dispatch of a message: validation, logging, metrics, transactions, idempotency. A bus
 * composes its interceptors into one chain per handler when the handler is registered, in the order
 * the interceptors were given (the first is outermost), so dispatch does not build anything per
 * call.
 *
 * <p>An interceptor sees the message and the result, may call {@link Chain#proceed} with the same
 * or an equivalent message, or short-circuit by returning a result of its own, which must be of the
 * message's result type. Exceptions thrown by the handler or by an inner interceptor pass through
 * unchanged unless the interceptor catches them on purpose. Interceptors are called from many
 * threads at once and must be thread-safe.
 *
 * @param <M> the messages it accepts, for example {@code Command<?>}
 */
@FunctionalInterface
public interface Interceptor<M> {

  /**
   * Intercepts one dispatch.
   *
   * @param message the message being dispatched
   * @param chain the rest of the chain, ending in the handler
   * @return the result to hand to the caller
   */
  @Nullable Object intercept(M message, Chain<M> chain);

  /**
   * The rest of an interceptor chain.
   *
   * @param <M> the messages it accepts
   */
  @FunctionalInterface
  interface Chain<M> {

    /**
     * Passes the message to the next interceptor, or to the handler at the end of the chain.
     *
     * @param message the message to pass on
     * @return the result of the rest of the chain
     */
    @Nullable Object proceed(M message);
  }
}
