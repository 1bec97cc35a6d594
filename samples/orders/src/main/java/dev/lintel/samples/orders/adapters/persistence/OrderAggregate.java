package dev.lintel.samples.orders.adapters.persistence;

import dev.lintel.core.eventsourcing.AggregateRoot;
import dev.lintel.core.eventsourcing.Snapshotting;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderEvent;
import java.util.List;

/**
 * The domain's {@link Order} as a Lintel aggregate: it raises the events the domain decided and
 * folds them into the order's state. The domain stays free of Lintel; this class is the seam. The
 * snapshot is the immutable order itself.
 */
final class OrderAggregate extends AggregateRoot implements Snapshotting<Order> {
  private Order order = Order.NONE;

  Order state() {
    return order;
  }

  void record(List<OrderEvent> events) {
    events.forEach(this::raise);
  }

  @Override
  protected void apply(Object event) {
    order = order.apply((OrderEvent) event);
  }

  @Override
  public Order snapshot() {
    return order;
  }

  @Override
  public void restore(Order snapshot) {
    order = snapshot;
  }
}
