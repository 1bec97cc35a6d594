package dev.lintel.samples.orders.application;

/** The order kept changing under a command, more often than its retries allowed. */
public final class ConcurrentChangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which order
   * @param cause the storage's conflict
   */
  public ConcurrentChangeException(String message, Throwable cause) {
    super(message, cause);
  }
}
