package dev.lintel;

/**
 * A component whose start and stop a Lintel runtime owns. The runtime starts components in the
 * order they were added, and stops them in reverse order once in-flight work has drained; {@link
 * #stop()} is called at most once, and only after {@link #start()} returned normally.
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
}
