package dev.lintel.eventsourcing;

import dev.lintel.LintelException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when the storage behind an event store fails (connection lost, transaction killed).
 * Nothing partial was committed: an append either happened entirely or not at all, and retrying it
 * with the same event ids is safe.
 */
public class EventStoreException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the stream or position
   * @param cause the storage's exception
   */
  public EventStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
