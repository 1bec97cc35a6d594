package dev.lintel.samples.orders.adapters.http;

/** A request the API cannot read: answered with 400 and the message. */
final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadRequestException(String message) {
    super(message);
  }
}
