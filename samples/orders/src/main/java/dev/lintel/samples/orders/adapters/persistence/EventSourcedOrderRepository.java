package dev.lintel.samples.orders.adapters.persistence;

import dev.lintel.core.eventsourcing.EventSourcedRepository;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.SnapshotStore;
import dev.lintel.eventsourcing.WrongExpectedVersionException;
import dev.lintel.samples.orders.application.ConcurrentChangeException;
import dev.lintel.samples.orders.application.OrderRepository;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderEvent;
import dev.lintel.samples.orders.domain.OrderId;
import java.util.List;
import java.util.function.Function;

/**
 * Orders as event streams ({@code order-<id>}) in a Lintel event store: each change loads the order
 * (from its latest snapshot plus the events after it), lets the domain decide, and appends the new
 * events expecting the version it loaded. When another writer appended in between, the store
 * refuses the append and the change starts again from a fresh load, up to {@value #RETRIES} times.
 */
public final class EventSourcedOrderRepository implements OrderRepository {
  /** How many times a conflicting change is retried. */
  public static final int RETRIES = 5;

  /** A snapshot every this many events: small, since orders are short. */
  static final int SNAPSHOT_EVERY = 5;

  private final EventSourcedRepository<OrderAggregate> orders;

  /**
   * Creates the repository.
   *
   * @param store the event store
   * @param snapshots where snapshots go, in the store's database
   */
  public EventSourcedOrderRepository(EventStore store, SnapshotStore snapshots) {
    this.orders =
        EventSourcedRepository.builder(store, OrderAggregate::new)
            .streamPrefix("order-")
            .snapshots(snapshots, SNAPSHOT_EVERY)
            .retryOnConflict(RETRIES)
            .build();
  }

  @Override
  public Order change(OrderId id, Function<Order, List<OrderEvent>> decision) {
    try {
      return orders.execute(
          id.value(),
          order -> {
            order.record(decision.apply(order.state()));
            return order.state();
          });
    } catch (WrongExpectedVersionException conflict) {
      throw new ConcurrentChangeException(
          "order " + id + " kept changing: gave up after " + RETRIES + " retries", conflict);
    }
  }
}
