package dev.lintel.eventsourcing;

import dev.lintel.LintelException;
import java.io.Serial;

/**
 * Thrown when reading an event whose type name no class is registered for, and no handler for
 * unknown events is configured.
 */
public class UnknownEventTypeException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String type;
  private final long position;

  /**
   * Creates the exception.
   *
   * @param type the unknown type name
   * @param stream the event's stream
   * @param position the event's global position
   */
  public UnknownEventTypeException(String type, String stream, long position) {
    super(
        "Unknown event type '"
            + type
            + "' at position "
            + position
            + " (stream '"
            + stream
            + "'): register a class for it, an upcaster, or a handler for unknown events");
    this.type = type;
    this.position = position;
  }

  /**
   * Names the unknown type.
   *
   * @return the type name
   */
  public String type() {
    return type;
  }

  /**
   * Tells where the event is.
   *
   * @return its global position
   */
  public long position() {
    return position;
  }
}
