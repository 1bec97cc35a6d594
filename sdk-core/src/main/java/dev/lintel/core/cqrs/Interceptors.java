package dev.lintel.core.cqrs;

import dev.lintel.cqrs.Interceptor;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in interceptors. None of them allocates on a dispatch unless its logger is enabled.
 *
 * <pre>{@code
 * LocalCommandBus bus = LocalCommandBus.builder()
 *     .interceptor(Interceptors.logging())
 *     .interceptor(Interceptors.timing((type, nanos, ok) -> timer.record(nanos)))
 *     .interceptor(Interceptors.validating(command -> validator.validate(command)))
 *     .build();
 * }</pre>
 */
public final class Interceptors {
  private static final Logger DISPATCH_LOG = LoggerFactory.getLogger("dev.lintel.cqrs.dispatch");

  private Interceptors() {}

  /**
   * Validates each message before it reaches the handler. The validator rejects a message by
   * throwing; the exception reaches the caller unchanged and the handler does not run.
   *
   * @param validator checks a message and throws if it is invalid
   * @param <M> the messages it accepts
   * @return the interceptor
   */
  public static <M> Interceptor<M> validating(Consumer<? super M> validator) {
    Objects.requireNonNull(validator, "validator");
    return (message, chain) -> {
      validator.accept(message);
      return chain.proceed(message);
    };
  }

  /**
   * Logs each dispatch at DEBUG on the logger {@code dev.lintel.cqrs.dispatch}: the message type,
   * the time taken and the outcome.
   *
   * @param <M> the messages it accepts
   * @return the interceptor
   */
  public static <M> Interceptor<M> logging() {
    return logging(DISPATCH_LOG);
  }

  /**
   * Logs each dispatch at DEBUG on the given logger: the message type, the time taken and the
   * outcome. A failure is logged with its exception and still thrown to the caller.
   *
   * @param logger where to log
   * @param <M> the messages it accepts
   * @return the interceptor
   */
  public static <M> Interceptor<M> logging(Logger logger) {
    Objects.requireNonNull(logger, "logger");
    return (message, chain) -> {
      if (!logger.isDebugEnabled()) {
        return chain.proceed(message);
      }
      String type = message.getClass().getName();
      long start = System.nanoTime();
      try {
        Object result = chain.proceed(message);
        logger.debug("Handled {} in {} µs", type, (System.nanoTime() - start) / 1_000);
        return result;
      } catch (RuntimeException | Error e) {
        logger.debug("Failed {} after {} µs", type, (System.nanoTime() - start) / 1_000, e);
        throw e;
      }
    };
  }

  /**
   * Times each dispatch and reports it to the timer, including failed ones.
   *
   * @param timer receives each dispatch's duration
   * @param <M> the messages it accepts
   * @return the interceptor
   */
  public static <M> Interceptor<M> timing(DispatchTimer timer) {
    Objects.requireNonNull(timer, "timer");
    return (message, chain) -> {
      long start = System.nanoTime();
      boolean succeeded = false;
      try {
        Object result = chain.proceed(message);
        succeeded = true;
        return result;
      } finally {
        timer.record(message.getClass(), System.nanoTime() - start, succeeded);
      }
    };
  }
}
