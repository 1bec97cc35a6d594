package dev.lintel.core.cqrs;

/**
 * Receives the duration of each dispatch from {@link Interceptors#timing(DispatchTimer)}, for
 * example to feed a Micrometer timer. Called on the dispatching thread, from many threads at once:
 * it must be thread-safe and quick.
 */
@FunctionalInterface
public interface DispatchTimer {

  /**
   * Records one dispatch.
   *
   * @param messageType the message's class
   * @param nanos how long the rest of the chain took, in nanoseconds
   * @param succeeded false if the rest of the chain threw
   */
  void record(Class<?> messageType, long nanos, boolean succeeded);
}
