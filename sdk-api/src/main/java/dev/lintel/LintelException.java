package dev.lintel;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Lintel throws. It is unchecked; checked exceptions of the libraries
 * underneath (JDBC, Redis) travel as its cause and never leak on their own.
 */
public class LintelException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names what went wrong.
   *
   * @param message what went wrong, naming the type, key or component involved
   */
  public LintelException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the exception that caused it.
   *
   * @param message what went wrong, naming the type, key or component involved
   * @param cause the underlying failure
   */
  public LintelException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
