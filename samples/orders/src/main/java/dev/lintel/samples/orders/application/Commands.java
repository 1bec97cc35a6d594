package dev.lintel.samples.orders.application;

import dev.lintel.cqrs.Command;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.Email;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderLine;
import dev.lintel.samples.orders.domain.OrderStatus;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/** The commands of the service: each asks for one change and says what it returns. */
public final class Commands {
  private Commands() {}

  /**
   * Registers a customer.
   *
   * @param name the name
   * @param email the e-mail address, unique
   */
  public record RegisterCustomer(String name, Email email) implements Command<CustomerId> {}

  /**
   * Places an order with its first lines. The caller chooses the id, so that a retried command (an
   * import run twice) finds the order it already placed instead of placing another.
   *
   * @param orderId the new order's id
   * @param customerId who places it
   * @param currency the currency of its amounts
   * @param lines its first lines
   */
  public record PlaceOrder(
      OrderId orderId, CustomerId customerId, Currency currency, List<OrderLine> lines)
      implements Command<OrderId> {}

  /**
   * Imports an order from the old system with the state it reached there: placed, paid, shipped or
   * cancelled. Importing the same order again changes nothing, so an interrupted import can simply
   * run again. The customer is found by e-mail address, or registered.
   *
   * @param orderId the order's id
   * @param customerName the customer's name, used if the customer is new
   * @param customerEmail the customer's e-mail address
   * @param currency the currency of its amounts
   * @param lines its lines
   * @param status the state it reached
   * @param placedAt when it was placed
   */
  public record ImportOrder(
      OrderId orderId,
      String customerName,
      Email customerEmail,
      Currency currency,
      List<OrderLine> lines,
      OrderStatus status,
      Instant placedAt)
      implements Command<OrderId> {}

  /**
   * Adds a line to a placed order.
   *
   * @param orderId the order
   * @param line the line
   */
  public record AddLine(OrderId orderId, OrderLine line) implements Command<Order> {}

  /**
   * Pays an order in full.
   *
   * @param orderId the order
   * @param amount the amount paid
   */
  public record PayOrder(OrderId orderId, Money amount) implements Command<Order> {}

  /**
   * Ships a paid order, by express if the customer is offered it.
   *
   * @param orderId the order
   */
  public record ShipOrder(OrderId orderId) implements Command<Order> {}

  /**
   * Cancels an order.
   *
   * @param orderId the order
   * @param reason why
   */
  public record CancelOrder(OrderId orderId, String reason) implements Command<Order> {}
}
