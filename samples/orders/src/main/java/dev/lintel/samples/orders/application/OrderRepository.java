package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderEvent;
import dev.lintel.samples.orders.domain.OrderId;
import java.util.List;
import java.util.function.Function;

/** Port: where orders are kept (the write side). */
public interface OrderRepository {

  /**
   * Loads an order (or {@link Order#NONE} when it has no events), lets the decision run on it, and
   * stores the events it returns, all or nothing. When someone else changed the order in between,
   * it starts again from a fresh load, a few times.
   *
   * @param id the order
   * @param decision the domain decision: the events to record, or a {@code DomainRuleViolation}
   * @return the order after the events
   * @throws ConcurrentChangeException when conflicts outlast the retries
   */
  Order change(OrderId id, Function<Order, List<OrderEvent>> decision);
}
