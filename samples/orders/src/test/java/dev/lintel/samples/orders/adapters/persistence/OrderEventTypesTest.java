package dev.lintel.samples.orders.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.core.eventsourcing.EventSerializer.Serialized;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderEvent;
import dev.lintel.samples.orders.domain.OrderEvent.LineAdded;
import dev.lintel.samples.orders.domain.OrderEvent.OrderCancelled;
import dev.lintel.samples.orders.domain.OrderEvent.OrderPaid;
import dev.lintel.samples.orders.domain.OrderEvent.OrderPlaced;
import dev.lintel.samples.orders.domain.OrderEvent.OrderShipped;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderLine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every stored shape reads back equal, under its stable name. A snapshot that cannot be read is
 * only logged by the repository (it replays instead), so this is where a broken one shows.
 */
class OrderEventTypesTest {
  private static final EventSerializer SERIALIZER = OrderEventTypes.serializer();
  private static final OrderId ID = new OrderId("o-1");
  private static final OrderLine LINE = new OrderLine("kbd", 2, Money.of("49.90", "EUR"));
  private static final OrderPlaced PLACED =
      new OrderPlaced(
          ID,
          new CustomerId("ada"),
          Money.currency("EUR"),
          List.of(LINE),
          Instant.parse("2024-05-01T10:15:30.123Z"));

  private static Object roundTrip(Object data, String expectedType) {
    Serialized stored = SERIALIZER.serialize(data);
    assertThat(stored.type()).isEqualTo(expectedType);
    return SERIALIZER.deserialize(stored.type(), stored.json(), "order-o-1", 1).data();
  }

  @Test
  void everyEventReadsBackEqualUnderItsName() {
    List<OrderEvent> events =
        List.of(
            PLACED,
            new LineAdded(ID, LINE),
            new OrderPaid(ID, Money.of("99.80", "EUR")),
            new OrderShipped(ID, true),
            new OrderCancelled(ID, "changed my mind"));
    List<String> names =
        List.of(
            "order-placed.v1",
            "order-line-added.v1",
            "order-paid.v1",
            "order-shipped.v1",
            "order-cancelled.v1");

    for (int i = 0; i < events.size(); i++) {
      assertThat(roundTrip(events.get(i), names.get(i))).isEqualTo(events.get(i));
    }
  }

  @Test
  void theSnapshotOfAnOrderReadsBackEqual() {
    Order order = Order.NONE.apply(PLACED).apply(new LineAdded(ID, LINE));

    assertThat(roundTrip(order, "order-snapshot.v1")).isEqualTo(order);
  }
}
