package dev.lintel;

import java.io.Serial;

/**
 * Thrown when work is offered to a component that has begun to shut down. The work was not started
 * and had no effect: the caller may retry it elsewhere.
 */
public class ShuttingDownException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which work was refused, and by which component
   */
  public ShuttingDownException(String message) {
    super(message);
  }
}
