package dev.lintel;

import java.time.Duration;

/**
 * A component whose start and stop a Lintel runtime owns. The runtime starts components in the
 * order they were added, and stops them in reverse order once in-flight work has drained; {@link
 * #stop(Duration)} is called at most once, and only after {@link #start()} returned normally.
 */
public interface Lifecycle {

  /**
   * Names the component in logs, health reports and errors.
   *
   * @return a short, stable name
   */
  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * Starts the component. The runtime calls it once, from the thread that starts the runtime.
   *
   * @throws Exception when the component cannot start; the runtime then stops what it had already
   *     started and fails to start
   */
  void start() throws Exception;

  /**
   * Stops the component, releasing its resources. Called once during graceful shutdown.
   *
   * @throws Exception when stopping fails; the runtime logs it and goes on stopping the others
   */
  void stop() throws Exception;

  /**
   * Stops the component within the time left before the runtime's shutdown deadline. A component
   * that drains work (a pipeline, a write-behind queue) waits for it at most that long; the runtime
   * calls this method, and by default it calls {@link #stop()}.
   *
   * @param timeLeft what is left of the runtime's shutdown timeout, zero or more; the runtime stops
   *     the components after this one once this returns, whatever it took
   * @throws Exception when stopping fails; the runtime logs it and goes on stopping the others
   */
  default void stop(Duration timeLeft) throws Exception {
    stop();
  }
}
