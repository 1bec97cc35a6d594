package dev.lintel.samples.orders.adapters.persistence;

import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderEvent.LineAdded;
import dev.lintel.samples.orders.domain.OrderEvent.OrderCancelled;
import dev.lintel.samples.orders.domain.OrderEvent.OrderPaid;
import dev.lintel.samples.orders.domain.OrderEvent.OrderPlaced;
import dev.lintel.samples.orders.domain.OrderEvent.OrderShipped;

/**
 * The stored names of the order events and snapshots. Names are part of the stored data: never
 * rename one; give a changed shape a new name (".v2") and an upcaster from the old one.
 */
public final class OrderEventTypes {
  private OrderEventTypes() {}

  /**
   * Makes the serializer of the order events and snapshots (JSON, with java.time support).
   *
   * @return the serializer
   */
  public static EventSerializer serializer() {
    return JacksonEventSerializer.builder()
        .type(OrderPlaced.class, "order-placed.v1")
        .type(LineAdded.class, "order-line-added.v1")
        .type(OrderPaid.class, "order-paid.v1")
        .type(OrderShipped.class, "order-shipped.v1")
        .type(OrderCancelled.class, "order-cancelled.v1")
        .type(Order.class, "order-snapshot.v1")
        .build();
  }
}
