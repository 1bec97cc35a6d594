package dev.lintel.eventsourcing;

import org.jspecify.annotations.Nullable;

/**
 * A running subscription to all events. It delivers the stored events from its start position
 * (catch up), then new ones as they are committed (live), each exactly once and in global order, on
 * a thread of its own. It survives lost connections by resuming after the last event it delivered.
 */
public interface Subscription extends AutoCloseable {

  /**
   * Tells the position of the last event delivered.
   *
   * @return that position, or the start position minus one if none was delivered yet
   */
  long lastPosition();

  /**
   * Tells whether the subscription is still delivering.
   *
   * @return false once closed or stopped by its handler's failure
   */
  boolean isRunning();

  /**
   * Tells why the subscription stopped, if its handler failed.
   *
   * @return the handler's exception, or null
   */
  @Nullable Throwable failure();

  /** Stops delivering and waits for the delivery thread to end. Idempotent. */
  @Override
  void close();
}
