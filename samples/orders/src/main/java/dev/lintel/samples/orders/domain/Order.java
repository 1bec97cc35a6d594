package dev.lintel.samples.orders.domain;

import dev.lintel.samples.orders.domain.OrderEvent.LineAdded;
import dev.lintel.samples.orders.domain.OrderEvent.OrderCancelled;
import dev.lintel.samples.orders.domain.OrderEvent.OrderPaid;
import dev.lintel.samples.orders.domain.OrderEvent.OrderPlaced;
import dev.lintel.samples.orders.domain.OrderEvent.OrderShipped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An order, as its events made it. Immutable: a decision method checks the rules against this state
 * and returns the event that records the decision (it changes nothing); {@link #apply} returns the
 * state after an event. So the rules are pure functions, and storing the events is someone else's
 * job (the persistence adapter's).
 *
 * <p>Rules: lines only while placed (the first ones with the placing), at most 50, in the order's
 * currency; payment only of a placed order with lines and for exactly its total; shipping only once
 * paid; cancelling neither a shipped nor a cancelled order.
 *
 * @param id the order's id, null before it is placed
 * @param customerId who placed it, null before it is placed
 * @param currency the currency of its amounts, null before it is placed
 * @param lines its lines, in the order added
 * @param status where it is in its life
 */
public record Order(
    @Nullable OrderId id,
    @Nullable CustomerId customerId,
    @Nullable Currency currency,
    List<OrderLine> lines,
    OrderStatus status) {

  /** The most lines an order can have. */
  public static final int MAX_LINES = 50;

  /** The state of an order before its first event. */
  public static final Order NONE = new Order(null, null, null, List.of(), OrderStatus.NEW);

  /**
   * Copies the lines.
   *
   * @throws NullPointerException if lines or status is null
   */
  public Order {
    lines = List.copyOf(lines);
    Objects.requireNonNull(status, "status");
  }

  /**
   * Decides to place this (new) order with its first lines.
   *
   * @param orderId the new order's id
   * @param customer who places it
   * @param currency the currency of its amounts
   * @param at when
   * @param firstLines its first lines, possibly none
   * @return the event
   * @throws DomainRuleViolation if the order was placed already, or the lines are too many or
   *     priced in another currency
   */
  public OrderPlaced place(
      OrderId orderId,
      CustomerId customer,
      Currency currency,
      Instant at,
      List<OrderLine> firstLines) {
    if (status != OrderStatus.NEW) {
      throw new DomainRuleViolation("order " + orderId + " already exists");
    }
    if (firstLines.size() > MAX_LINES) {
      throw new DomainRuleViolation("an order has at most " + MAX_LINES + " lines");
    }
    Money zero = Money.zero(currency);
    firstLines.forEach(line -> zero.requireSameCurrency(line.unitPrice()));
    return new OrderPlaced(orderId, customer, currency, firstLines, at);
  }

  /**
   * Decides to add a line.
   *
   * @param line the line
   * @return the event
   * @throws DomainRuleViolation if the order is not placed (or paid, shipped, cancelled), is full,
   *     or the price is in another currency
   */
  public LineAdded addLine(OrderLine line) {
    requireStatus(OrderStatus.PLACED, "add a line to");
    if (lines.size() >= MAX_LINES) {
      throw new DomainRuleViolation("order " + id + " already has " + MAX_LINES + " lines");
    }
    total().requireSameCurrency(line.unitPrice());
    return new LineAdded(placedId(), line);
  }

  /**
   * Decides to take payment.
   *
   * @param amount the amount paid
   * @return the event
   * @throws DomainRuleViolation if the order is not placed, has no lines, or the amount is not its
   *     total (in its currency)
   */
  public OrderPaid pay(Money amount) {
    requireStatus(OrderStatus.PLACED, "pay");
    if (lines.isEmpty()) {
      throw new DomainRuleViolation("order " + id + " has no lines to pay for");
    }
    Money total = total();
    total.requireSameCurrency(amount);
    if (!total.equals(amount)) {
      throw new DomainRuleViolation("order " + id + " costs " + total + ", not " + amount);
    }
    return new OrderPaid(placedId(), amount);
  }

  /**
   * Decides to ship.
   *
   * @param express whether by express delivery
   * @return the event
   * @throws DomainRuleViolation if the order is not paid
   */
  public OrderShipped ship(boolean express) {
    requireStatus(OrderStatus.PAID, "ship");
    return new OrderShipped(placedId(), express);
  }

  /**
   * Decides to cancel.
   *
   * @param reason why
   * @return the event
   * @throws DomainRuleViolation if the order does not exist, was shipped or is cancelled already
   */
  public OrderCancelled cancel(String reason) {
    if (status == OrderStatus.NEW
        || status == OrderStatus.SHIPPED
        || status == OrderStatus.CANCELLED) {
      throw new DomainRuleViolation("cannot cancel order " + id + ": it is " + status);
    }
    return new OrderCancelled(placedId(), reason.isBlank() ? "no reason given" : reason);
  }

  /**
   * Returns the state after an event. Stored events are facts: this never refuses one.
   *
   * @param event the event
   * @return the new state
   */
  public Order apply(OrderEvent event) {
    if (event instanceof OrderPlaced placed) {
      return new Order(
          placed.orderId(),
          placed.customerId(),
          placed.currency(),
          placed.lines(),
          OrderStatus.PLACED);
    } else if (event instanceof LineAdded added) {
      List<OrderLine> more = new ArrayList<>(lines);
      more.add(added.line());
      return new Order(id, customerId, currency, more, status);
    } else if (event instanceof OrderPaid) {
      return withStatus(OrderStatus.PAID);
    } else if (event instanceof OrderShipped) {
      return withStatus(OrderStatus.SHIPPED);
    } else {
      return withStatus(OrderStatus.CANCELLED);
    }
  }

  /**
   * Adds up the lines.
   *
   * @return the total, zero in the order's currency when it has no lines
   * @throws DomainRuleViolation if the order was not placed
   */
  public Money total() {
    if (currency == null) {
      throw new DomainRuleViolation("the order was not placed");
    }
    Money total = Money.zero(currency);
    for (OrderLine line : lines) {
      total = total.plus(line.total());
    }
    return total;
  }

  private Order withStatus(OrderStatus next) {
    return new Order(id, customerId, currency, lines, next);
  }

  private OrderId placedId() {
    return Objects.requireNonNull(id, "a placed order has an id");
  }

  private void requireStatus(OrderStatus required, String action) {
    if (status == OrderStatus.NEW) {
      throw new DomainRuleViolation("cannot " + action + " an order that was not placed");
    }
    if (status != required) {
      throw new DomainRuleViolation(
          "cannot " + action + " order " + id + ": it is " + status + ", not " + required);
    }
  }
}
