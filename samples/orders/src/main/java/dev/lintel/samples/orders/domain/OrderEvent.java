package dev.lintel.samples.orders.domain;

import java.time.Instant;
import java.util.Currency;
import java.util.List;

/**
 * What happened to an order. Events are facts in the past tense; they are stored, so a shape that
 * has been stored never changes (a new shape gets a new type name and an upcaster in the adapter).
 */
public sealed interface OrderEvent {

  /**
   * The order the event belongs to.
   *
   * @return its id
   */
  OrderId orderId();

  /**
   * An order was placed, with its first lines: one fact, so that no reader ever sees the order
   * without them.
   *
   * @param orderId the order
   * @param customerId who placed it
   * @param currency the currency of all its amounts
   * @param lines its first lines
   * @param placedAt when
   */
  record OrderPlaced(
      OrderId orderId,
      CustomerId customerId,
      Currency currency,
      List<OrderLine> lines,
      Instant placedAt)
      implements OrderEvent {

    /**
     * Copies the lines.
     *
     * @throws NullPointerException if lines is null
     */
    public OrderPlaced {
      lines = List.copyOf(lines);
    }
  }

  /**
   * A line was added.
   *
   * @param orderId the order
   * @param line the line
   */
  record LineAdded(OrderId orderId, OrderLine line) implements OrderEvent {}

  /**
   * The order was paid in full.
   *
   * @param orderId the order
   * @param amount the amount paid: the order's total
   */
  record OrderPaid(OrderId orderId, Money amount) implements OrderEvent {}

  /**
   * The order was shipped.
   *
   * @param orderId the order
   * @param express whether by express delivery
   */
  record OrderShipped(OrderId orderId, boolean express) implements OrderEvent {}

  /**
   * The order was cancelled.
   *
   * @param orderId the order
   * @param reason why
   */
  record OrderCancelled(OrderId orderId, String reason) implements OrderEvent {}
}
