package dev.lintel.samples.orders.application;

import dev.lintel.cqrs.Query;
import dev.lintel.samples.orders.application.ShippingQuotes.ShippingQuote;
import dev.lintel.samples.orders.domain.Customer;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.Email;
import dev.lintel.samples.orders.domain.OrderId;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The queries of the service: each asks the read side one question. */
public final class Queries {
  private Queries() {}

  /**
   * Asks for one order.
   *
   * @param orderId the order
   */
  public record GetOrder(OrderId orderId) implements Query<Optional<OrderView>> {}

  /**
   * Asks for the newest orders, of one customer or of all.
   *
   * @param customerId the customer, or null for all
   * @param limit at most this many, 1 to 100
   */
  public record ListOrders(@Nullable CustomerId customerId, int limit)
      implements Query<List<OrderView>> {

    /**
     * Checks the limit.
     *
     * @throws IllegalArgumentException if it is out of 1..100
     */
    public ListOrders {
      if (limit < 1 || limit > 100) {
        throw new IllegalArgumentException("limit must be within 1..100 but was " + limit);
      }
    }
  }

  /**
   * Asks for a customer by e-mail address.
   *
   * @param email the address
   */
  public record FindCustomerByEmail(Email email) implements Query<Optional<Customer>> {}

  /**
   * Asks the shipping service what shipping an order costs.
   *
   * @param orderId the order
   */
  public record QuoteShipping(OrderId orderId) implements Query<Optional<ShippingQuote>> {}
}
