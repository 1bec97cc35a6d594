package dev.lintel.cqrs;

import dev.lintel.LintelException;
import java.io.Serial;

/** Thrown when a command or query is dispatched and no handler is registered for its class. */
public class NoHandlerException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  private final String messageType;

  /**
   * Creates the exception.
   *
   * @param messageType the fully qualified name of the message class that has no handler
   * @param message the full message, naming the type and what is registered
   */
  public NoHandlerException(String messageType, String message) {
    super(message);
    this.messageType = messageType;
  }

  /**
   * Names the message class that has no handler.
   *
   * @return the fully qualified class name
   */
  public String messageType() {
    return messageType;
  }
}
