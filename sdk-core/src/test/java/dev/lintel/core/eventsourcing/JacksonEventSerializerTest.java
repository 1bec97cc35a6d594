package dev.lintel.core.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lintel.eventsourcing.UnknownEventTypeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  private static JacksonEventSerializer pageSerializer() {
    return JacksonEventSerializer.builder()
        .type(OrderPlaced.class, "order-placed.v2")
        .type(OrderShipped.class, "order-shipped")
        .upcaster("order-placed.v1", "order-placed.v2", json -> json.put("currency", "EUR"))
        .keepUnknownTypes()
        .build();
  }

  private static SerializedEvents page(String... typesAndJson) {
    SerializedEvents page = new SerializedEvents(typesAndJson.length / 2);
    for (int i = 0; i < typesAndJson.length; i += 2) {
      page.add(
          typesAndJson[i], typesAndJson[i + 1].getBytes(StandardCharsets.UTF_8), "s", i / 2 + 1);
    }
    return page;
  }

  private static List<Object> results(SerializedEvents page) {
    List<Object> results = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      results.add(page.resultType(i) + "=" + page.result(i));
    }
    return results;
  }

  /** What reading each event of the page on its own gives. */
  private static List<Object> oneByOne(JacksonEventSerializer serializer, SerializedEvents page) {
    List<Object> results = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      EventSerializer.Deserialized read =
          serializer.deserialize(
              page.type(i),
              new String(page.json(i), StandardCharsets.UTF_8),
              page.stream(i),
              page.position(i));
      results.add(read.type() + "=" + read.data());
    }
    return results;
  }

  @Test
  void utf8BytesAreReadLikeTheText() {
    JacksonEventSerializer serializer = pageSerializer();
    String json = "{\"orderId\":\"ö-1\",\"amountCents\":5}";

    for (String type : List.of("order-placed.v1", "order-placed.v2", "order-cancelled")) {
      assertThat(serializer.deserialize(type, json.getBytes(StandardCharsets.UTF_8), "s", 1))
          .isEqualTo(serializer.deserialize(type, json, "s", 1));
    }
  }

  @Test
  void aPageGivesWhatReadingEachEventAloneGives() {
    JacksonEventSerializer serializer = pageSerializer();
    SerializedEvents page =
        page(
            "order-shipped", "{\"orderId\":\"a\"}",
            "order-placed.v2", "{\"orderId\":\"b\",\"amountCents\":1,\"currency\":\"USD\"}",
            "order-placed.v1", "{\"orderId\":\"c\",\"amountCents\":2}",
            "order-shipped", "{\"orderId\":\"d\"}",
            "order-cancelled", "{\"orderId\":\"e\"}",
            "order-shipped", "{\"orderId\":\"f\"}");

    serializer.deserializeAll(page);

    assertThat(results(page)).isEqualTo(oneByOne(serializer, page));
    assertThat(page.result(1)).isEqualTo(new OrderPlaced("b", 1, "USD"));
    assertThat(page.result(2)).isEqualTo(new OrderPlaced("c", 2, "EUR"));
    assertThat(page.resultType(2)).isEqualTo("order-placed.v2");
    assertThat(page.result(4))
        .isEqualTo(new UnknownEvent("order-cancelled", "{\"orderId\":\"e\"}"));
  }

  @Test
  void aMalformedEventInAPageFailsAsItWouldAlone() {
    JacksonEventSerializer serializer = pageSerializer();
    SerializedEvents page =
        page(
            "order-shipped", "{\"orderId\":\"a\"}",
            "order-shipped", "{not json",
            "order-shipped", "{\"orderId\":\"c\"}");

    assertThatThrownBy(() -> serializer.deserializeAll(page))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("position 2")
        .hasMessageContaining("order-shipped");
  }

  /**
   * Stored text need not be exactly one value (a TEXT column); a page never reads across events.
   */
  @Test
  void textThatIsNotExactlyOneValueIsReadAsAloneAndNeverRunsIntoTheNextEvent() {
    JacksonEventSerializer serializer = pageSerializer();
    SerializedEvents trailing =
        page(
            "order-shipped", "{\"orderId\":\"a\"} {\"orderId\":\"x\"}",
            "order-shipped", "{\"orderId\":\"b\"}",
            "order-shipped", "  {\"orderId\":\"c\"}  ");

    serializer.deserializeAll(trailing);

    assertThat(results(trailing)).isEqualTo(oneByOne(serializer, trailing));
    assertThat(trailing.result(1)).isEqualTo(new OrderShipped("b"));

    SerializedEvents split = page("order-shipped", "{\"orderId\":", "order-shipped", "\"b\"}");
    assertThatThrownBy(() -> serializer.deserializeAll(split))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("position 1");
  }

  @Test
  void aDeserializerThatLeavesTokensBehindDoesNotShiftTheNextEvent() {
    JacksonEventSerializer serializer =
        JacksonEventSerializer.builder()
            .type(FirstFieldOnly.class, "first-field")
            .type(OrderShipped.class, "order-shipped")
            .build();
    SerializedEvents page =
        page(
            "first-field", "{\"a\":\"x\",\"b\":{\"c\":1}}",
            "order-shipped", "{\"orderId\":\"b\"}");

    serializer.deserializeAll(page);

    assertThat(page.result(0)).isEqualTo(new FirstFieldOnly("x"));
    assertThat(page.result(1)).isEqualTo(new OrderShipped("b"));
  }

  @Test
  void aMapperThatRejectsTrailingTokensStillReadsPages() {
    JacksonEventSerializer serializer =
        JacksonEventSerializer.builder()
            .objectMapper(
                JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build())
            .type(OrderShipped.class, "order-shipped")
            .build();
    SerializedEvents page =
        page("order-shipped", "{\"orderId\":\"a\"}", "order-shipped", "{\"orderId\":\"b\"}");

    serializer.deserializeAll(page);

    assertThat(page.result(0)).isEqualTo(new OrderShipped("a"));
    assertThat(page.result(1)).isEqualTo(new OrderShipped("b"));
  }

  /** Reads the first field's text and skips nothing else: a careless custom deserializer. */
  @JsonDeserialize(using = FirstFieldOnly.Reader.class)
  record FirstFieldOnly(String a) {
    static final class Reader extends JsonDeserializer<FirstFieldOnly> {
      @Override
      public FirstFieldOnly deserialize(JsonParser parser, DeserializationContext context)
          throws IOException {
        parser.nextToken(); // field name
        parser.nextToken(); // its value
        return new FirstFieldOnly(parser.getText());
      }
    }
  }

  static final class SelfReferencing {
    public SelfReferencing self;
  }
}
