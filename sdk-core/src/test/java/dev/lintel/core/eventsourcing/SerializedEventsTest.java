package dev.lintel.core.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SerializedEventsTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eventsLieOneAfterAnotherEachFollowedByASpace() {
    SerializedEvents page = new SerializedEvents(2);
    page.add("a", utf8("{}"), "s1", 7);
    page.add("b", utf8("[1]"), "s2", 8);

    assertThat(page.size()).isEqualTo(2);
    assertThat(new String(page.buffer(), 0, page.end(1), StandardCharsets.UTF_8))
        .isEqualTo("{} [1] ");
    assertThat(page.start(1)).isEqualTo(page.end(0)).isEqualTo(3);
    assertThat(page.json(1)).isEqualTo(utf8("[1]"));
    assertThat(page.type(1)).isEqualTo("b");
    assertThat(page.stream(0)).isEqualTo("s1");
    assertThat(page.position(1)).isEqualTo(8);
  }

  @Test
  void theBufferGrowsForLargeEvents() {
    SerializedEvents page = new SerializedEvents(3);
    byte[] large = new byte[20_000];
    Arrays.fill(large, (byte) 'x');

    page.add("a", utf8("1"), "s", 1);
    page.add("b", large, "s", 2);
    page.add("c", utf8("2"), "s", 3);

    assertThat(page.json(1)).isEqualTo(large);
    assertThat(page.json(2)).isEqualTo(utf8("2"));
  }

  @Test
  void resultsAreRecordedPerEventAndAMissingOneIsAnError() {
    SerializedEvents page = new SerializedEvents(2);
    page.add("a", utf8("{}"), "s", 1);
    page.add("b", utf8("{}"), "s", 2);

    page.setResult(0, "a.v2", "data");

    assertThat(page.resultType(0)).isEqualTo("a.v2");
    assertThat(page.result(0)).isEqualTo("data");
    assertThatThrownBy(() -> page.result(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("event 1");
  }

  @Test
  void aClearedPageIsEmptyAndReusable() {
    SerializedEvents page = new SerializedEvents(1);
    page.add("a", utf8("{}"), "s", 1);
    page.setResult(0, "a", "data");

    page.clear();
    page.add("b", utf8("[]"), "t", 2);

    assertThat(page.size()).isEqualTo(1);
    assertThat(page.json(0)).isEqualTo(utf8("[]"));
    assertThatThrownBy(() -> page.result(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void misuseIsRejected() {
    SerializedEvents page = new SerializedEvents(1);
    page.add("a", utf8("{}"), "s", 1);

    assertThatThrownBy(() -> new SerializedEvents(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but was 0");
    assertThatThrownBy(() -> page.add("b", utf8("{}"), "s", 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("full");
    assertThatThrownBy(() -> page.type(1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /** A serializer that only reads text gets pages through the interface's default. */
  @Test
  void theDefaultReadsAPageOneEventAtATime() {
    EventSerializer upperCase =
        new EventSerializer() {
          @Override
          public Serialized serialize(Object data) {
            return new Serialized("text", "\"" + data + "\"");
          }

          @Override
          public Deserialized deserialize(String type, String json, String stream, long position) {
            return new Deserialized(type + ".read", json.toUpperCase(java.util.Locale.ROOT));
          }
        };
    SerializedEvents page = new SerializedEvents(2);
    page.add("a", utf8("\"x\""), "s", 1);
    page.add("b", utf8("\"ü\""), "s", 2);

    upperCase.deserializeAll(page);

    assertThat(page.resultType(0)).isEqualTo("a.read");
    assertThat(page.result(0)).isEqualTo("\"X\"");
    assertThat(page.result(1)).isEqualTo("\"Ü\"");
  }
}
