package dev.lintel.cqrs;

import dev.lintel.LintelException;
import java.io.Serial;

/**
 * Thrown when a second handler is registered for a message class that already has one. The first
 * registration stays in place.
 */
public class DuplicateHandlerException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String messageType;

  /**
   * Creates the exception.
   *
   * @param messageType the fully qualified name of the message class
   * @param message the full message
   */
  public DuplicateHandlerException(String messageType, String message) {
    super(message);
    this.messageType = messageType;
  }

  /**
   * Names the message class that already has a handler.
   *
   * @return the fully qualified class name
   */
  public String messageType() {
    return messageType;
  }
}
