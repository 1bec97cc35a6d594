package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.application.Commands.AddLine;
import dev.lintel.samples.orders.application.Commands.CancelOrder;
import dev.lintel.samples.orders.application.Commands.PayOrder;
import dev.lintel.samples.orders.application.Commands.PlaceOrder;
import dev.lintel.samples.orders.application.Commands.ShipOrder;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.DomainRuleViolation;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderId;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The write use cases of orders: each command loads an order through the {@link OrderRepository},
 * lets the domain decide, and stores the outcome. Thread-safe.
 */
public final class OrderService {
  private final OrderRepository orders;
  private final CustomerDirectory customers;
  private final ExpressShipping expressShipping;
  private final Clock clock;

  /**
   * Creates the service.
   *
   * @param orders where orders are kept
   * @param customers where customers are kept
   * @param expressShipping whether a customer gets express shipping
   * @param clock the time orders are placed at
   */
  public OrderService(
      OrderRepository orders,
      CustomerDirectory customers,
      ExpressShipping expressShipping,
      Clock clock) {
    this.orders = Objects.requireNonNull(orders, "orders");
    this.customers = Objects.requireNonNull(customers, "customers");
    this.expressShipping = Objects.requireNonNull(expressShipping, "expressShipping");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Places an order. Placing the same order id again with the same customer is a no-op, so that a
   * retried command does not fail.
   *
   * @param command the command
   * @return the order's id
   * @throws DomainRuleViolation if the customer is unknown, a line breaks a rule, or the id is
   *     taken by another customer's order
   */
  public OrderId place(PlaceOrder command) {
    CustomerId customer = command.customerId();
    if (customers.find(customer).isEmpty()) {
      throw new DomainRuleViolation("unknown customer " + customer);
    }
    orders.change(
        command.orderId(),
        order ->
            customer.equals(order.customerId())
                ? List.of() // placed already by this customer: a retry
                : order.placeWith(
                    command.orderId(),
                    customer,
                    command.currency(),
                    clock.instant(),
                    command.lines()));
    return command.orderId();
  }

  /**
   * Adds a line.
   *
   * @param command the command
   * @return the order after
   * @throws DomainRuleViolation if the domain refuses
   */
  public Order addLine(AddLine command) {
    return orders.change(command.orderId(), order -> List.of(order.addLine(command.line())));
  }

  /**
   * Takes payment.
   *
   * @param command the command
   * @return the order after
   * @throws DomainRuleViolation if the domain refuses
   */
  public Order pay(PayOrder command) {
    return orders.change(command.orderId(), order -> List.of(order.pay(command.amount())));
  }

  /**
   * Ships, by express when the {@code express-shipping} rollout includes the customer.
   *
   * @param command the command
   * @return the order after
   * @throws DomainRuleViolation if the domain refuses
   */
  public Order ship(ShipOrder command) {
    return orders.change(command.orderId(), order -> List.of(order.ship(offersExpress(order))));
  }

  /**
   * Cancels.
   *
   * @param command the command
   * @return the order after
   * @throws DomainRuleViolation if the domain refuses
   */
  public Order cancel(CancelOrder command) {
    return orders.change(command.orderId(), order -> List.of(order.cancel(command.reason())));
  }

  private boolean offersExpress(Order order) {
    CustomerId customer = order.customerId();
    return customer != null && expressShipping.offeredTo(customer);
  }
}
