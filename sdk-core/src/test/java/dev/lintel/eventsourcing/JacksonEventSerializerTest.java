package dev.lintel.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JacksonEventSerializerTest {
  record OrderPlacedV1(String orderId, int amountCents) {}

  record OrderPlaced(String orderId, int amountCents, String currency) {}

  record OrderShipped(String orderId) {}

  @Test
  void eventsRoundTripUnderTheirRegisteredTypeNames() {
    JacksonEventSerializer serializer =
        JacksonEventSerializer.builder().type(OrderShipped.class, "order-shipped").build();

    EventSerializer.Serialized serialized = serializer.serialize(new OrderShipped("o-1"));

    assertThat(serialized.type()).isEqualTo("order-shipped");
    assertThat(serialized.json()).isEqualTo("{\"orderId\":\"o-1\"}");
    assertThat(serializer.deserialize("order-shipped", serialized.json(), "s", 1).data())
        .isEqualTo(new OrderShipped("o-1"));
  }

  /** Events written as v1 are read as v2 after the class changed shape. */
  @Test
  void upcasterTurnsStoredV1EventsIntoV2OnRead() {
    String storedJson =
        JacksonEventSerializer.builder()
            .type(OrderPlacedV1.class, "order-placed.v1")
            .build()
            .serialize(new OrderPlacedV1("o-1", 995))
            .json();

    JacksonEventSerializer current =
        JacksonEventSerializer.builder()
            .type(OrderPlaced.class, "order-placed.v2")
            .upcaster("order-placed.v1", "order-placed.v2", json -> json.put("currency", "EUR"))
            .build();
    EventSerializer.Deserialized read =
        current.deserialize("order-placed.v1", storedJson, "order-1", 1);

    assertThat(read.type()).isEqualTo("order-placed.v2");
    assertThat(read.data()).isEqualTo(new OrderPlaced("o-1", 995, "EUR"));
  }

  @Test
  void upcastersChain() {
    JacksonEventSerializer serializer =
        JacksonEventSerializer.builder()
            .type(OrderPlaced.class, "order-placed.v3")
            .upcaster("order-placed.v1", "order-placed.v2", json -> json.put("currency", "EUR"))
            .upcaster(
                "order-placed.v2",
                "order-placed.v3",
                json -> json.put("amountCents", json.get("amountCents").asInt() * 10))
            .build();

    Object data =
        serializer
            .deserialize("order-placed.v1", "{\"orderId\":\"o\",\"amountCents\":5}", "s", 9)
            .data();

    assertThat(data).isEqualTo(new OrderPlaced("o", 50, "EUR"));
  }

  @Test
  void unknownTypeOnReadNamesTheTypeAndPosition() {
    JacksonEventSerializer serializer = JacksonEventSerializer.builder().build();

    assertThatThrownBy(() -> serializer.deserialize("order-cancelled", "{}", "order-7", 42))
        .isInstanceOfSatisfying(
            UnknownEventTypeException.class,
            e -> {
              assertThat(e.type()).isEqualTo("order-cancelled");
              assertThat(e.position()).isEqualTo(42);
            })
        .hasMessageContaining("'order-cancelled' at position 42 (stream 'order-7')");
  }

  @Test
  void unknownTypesCanBeKeptRaw() {
    JacksonEventSerializer serializer = JacksonEventSerializer.builder().keepUnknownTypes().build();

    Object data = serializer.deserialize("order-cancelled", "{\"a\":1}", "s", 1).data();

    assertThat(data).isEqualTo(new UnknownEvent("order-cancelled", "{\"a\":1}"));
  }

  @Test
  void malformedStoredJsonIsAClearError() {
    JacksonEventSerializer serializer =
        JacksonEventSerializer.builder().type(OrderShipped.class, "order-shipped").build();

    assertThatThrownBy(() -> serializer.deserialize("order-shipped", "{not json", "order-2", 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("position 3")
        .hasMessageContaining("order-shipped");
  }

  @Test
  void registrationMistakesAreRejectedAtOnce() {
    JacksonEventSerializer.Builder builder =
        JacksonEventSerializer.builder().type(OrderShipped.class, "order-shipped");

    assertThatThrownBy(() -> builder.type(OrderShipped.class, "other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered as 'order-shipped'");
    assertThatThrownBy(() -> builder.type(OrderPlaced.class, "order-shipped"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'order-shipped' is already registered");
    assertThatThrownBy(() -> builder.type(OrderPlaced.class, "bad name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but was 'bad name'");
    assertThatThrownBy(() -> builder.upcaster("order-shipped", "x", json -> json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already has a class or an upcaster");
  }

  @Test
  void unserializablePayloadIsRejectedWithItsType() {
    JacksonEventSerializer serializer =
        JacksonEventSerializer.builder().type(SelfReferencing.class, "loop").build();
    SelfReferencing loop = new SelfReferencing();
    loop.self = loop;

    assertThatThrownBy(() -> serializer.serialize(loop))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Event of type 'loop'")
        .hasMessageContaining("cannot be serialized");
  }

  static final class SelfReferencing {
    public SelfReferencing self;
  }
}
