package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.application.Commands.AddLine;
import dev.lintel.samples.orders.application.Commands.CancelOrder;
import dev.lintel.samples.orders.application.Commands.ImportOrder;
import dev.lintel.samples.orders.application.Commands.PayOrder;
import dev.lintel.samples.orders.application.Commands.PlaceOrder;
import dev.lintel.samples.orders.application.Commands.ShipOrder;
import dev.lintel.samples.orders.domain.Customer;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.DomainRuleViolation;
import dev.lintel.samples.orders.domain.Email;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderEvent;
import dev.lintel.samples.orders.domain.OrderId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
                : List.of(
                    order.place(
                        command.orderId(),
                        customer,
                        command.currency(),
                        clock.instant(),
                        command.lines())));
    return command.orderId();
  }

  /**
   * Imports an order in the state it reached elsewhere, in one append: its events are those the
   * order would have had (placed with its lines, then paid, shipped or cancelled), so the domain's
   * rules check the history too. A no-op for an order imported before.
   *
   * @param command the command
   * @return the order's id
   * @throws DomainRuleViolation if the history breaks a rule (paying an order without lines)
   */
  public OrderId importOrder(ImportOrder command) {
    CustomerId customer = customerFor(command.customerName(), command.customerEmail());
    orders.change(
        command.orderId(),
        order -> {
          if (customer.equals(order.customerId())) {
            return List.of(); // imported before
          }
          OrderEvent placing =
              order.place(
                  command.orderId(),
                  customer,
                  command.currency(),
                  command.placedAt(),
                  command.lines());
          List<OrderEvent> events = new ArrayList<>(List.of(placing));
          Order placed = order.apply(placing);
          switch (command.status()) {
            case PAID -> events.add(placed.pay(placed.total()));
            case SHIPPED -> {
              OrderEvent paid = placed.pay(placed.total());
              events.add(paid);
              events.add(placed.apply(paid).ship(false));
            }
            case CANCELLED -> events.add(placed.cancel("cancelled before the import"));
            default -> {} // PLACED
          }
          return events;
        });
    return command.orderId();
  }

  /** Finds the customer by e-mail address or registers one; a concurrent registration wins. */
  private CustomerId customerFor(String name, Email email) {
    Optional<Customer> known = customers.findByEmail(email);
    if (known.isPresent()) {
      return known.get().id();
    }
    Customer customer = new Customer(CustomerId.random(), name, email);
    try {
      customers.register(customer);
      return customer.id();
    } catch (DomainRuleViolation taken) {
      return customers.findByEmail(email).map(Customer::id).orElseThrow(() -> taken);
    }
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
