package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.OrderId;
import java.util.List;
import java.util.Optional;

/**
 * Port: the read side, kept up to date from the events by a projection. It may lag the write side
 * by a moment.
 */
public interface OrderReadModel {

  /**
   * Finds an order.
   *
   * @param id the order
   * @return its view, empty if the read side does not know it (yet)
   */
  Optional<OrderView> find(OrderId id);

  /**
   * Lists a customer's orders, newest first.
   *
   * @param customer the customer
   * @param limit at most this many
   * @return the orders
   */
  List<OrderView> ofCustomer(CustomerId customer, int limit);

  /**
   * Lists the newest orders of all customers.
   *
   * @param limit at most this many
   * @return the orders, newest first
   */
  List<OrderView> recent(int limit);
}
