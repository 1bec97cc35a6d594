package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.domain.Money;

/** Port: the shipping company's price list, a remote service that can be slow or down. */
public interface ShippingQuotes {

  /**
   * Prices shipping an order.
   *
   * @param order the order
   * @param express whether by express
   * @return the quote
   * @throws ShippingUnavailableException if the service cannot answer
   */
  ShippingQuote quote(OrderView order, boolean express);

  /**
   * A price for shipping.
   *
   * @param price what it costs
   * @param days how many days it takes
   * @param express whether by express
   */
  record ShippingQuote(Money price, int days, boolean express) {}

  /** The shipping service did not answer. */
  final class ShippingUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     * @param cause the cause, may be null
     */
    public ShippingUnavailableException(
        String message, @org.jspecify.annotations.Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
