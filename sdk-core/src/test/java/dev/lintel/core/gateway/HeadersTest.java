package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.gateway.Headers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void namesMatchInAnyCaseAndEveryValueKeepsItsPlace() {
    Headers headers = Headers.of("Accept", "text/csv", "X-Trace", "1", "accept", "text/plain");

    assertThat(headers.first("ACCEPT")).isEqualTo("text/csv");
    assertThat(headers.values("accept")).containsExactly("text/csv", "text/plain");
    assertThat(headers.values("Missing")).isEmpty();
    assertThat(headers.first("Missing")).isNull();
    assertThat(headers.contains("x-trace")).isTrue();
    assertThat(headers.fields())
        .extracting(Headers.Field::name)
        .containsExactly("Accept", "X-Trace", "accept");
  }

  @Test
  void changedCopiesReplaceInPlaceAddAtTheEndAndRemoveEveryValue() {
    Headers headers = Headers.of("A", "1", "B", "2", "a", "3");

    assertThat(headers.with("a", "x").fields())
        .containsExactly(new Headers.Field("a", "x"), new Headers.Field("B", "2"));
    assertThat(headers.with("C", "4").fields())
        .hasSize(4)
        .last()
        .isEqualTo(new Headers.Field("C", "4"));
    assertThat(headers.withAdded("B", "5").values("b")).containsExactly("2", "5");
    assertThat(headers.without("A").fields()).containsExactly(new Headers.Field("B", "2"));
    assertThat(headers.without("Missing")).isSameAs(headers);
    assertThat(headers.values("a")).as("the original").containsExactly("1", "3");
  }

  @Test
  void theyAreImmutableWhateverTheyWereMadeFrom() {
    List<Headers.Field> fields = new ArrayList<>(List.of(new Headers.Field("A", "1")));
    Headers headers = new Headers(fields);

    fields.add(new Headers.Field("B", "2"));

    assertThat(headers.contains("B")).isFalse();
    assertThatThrownBy(() -> headers.fields().add(new Headers.Field("C", "3")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> headers.values("A").add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aMapGivesOneFieldPerValueInItsOrder() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    map.put("Set-Cookie", List.of("a=1", "b=2"));
    map.put("Host", List.of("example.com"));

    assertThat(Headers.of(map).fields())
        .containsExactly(
            new Headers.Field("Set-Cookie", "a=1"),
            new Headers.Field("Set-Cookie", "b=2"),
            new Headers.Field("Host", "example.com"));
    assertThat(Headers.of(Map.of())).isSameAs(Headers.of());
  }

  @Test
  void namesMustBeTokensAndValuesHoldNoControlCharacterButTab() {
    assertThatThrownBy(() -> Headers.of("X Bad", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header name 'X Bad' is not an HTTP token")
        .hasMessageContaining("U+0020 at index 1");
    assertThatThrownBy(() -> Headers.of("X-Split:", "1")).hasMessageContaining("':' at index 7");
    assertThatThrownBy(() -> Headers.of("", "1")).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> Headers.of("X-New\nLine", "1"))
        .hasMessageContaining("'X-New?Line'")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> Headers.of("X-Inject", "a\r\nSet-Cookie: admin=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value of header 'X-Inject'")
        .hasMessageContaining("U+000D")
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> Headers.of("X-Nul", "a\u0000")).hasMessageContaining("U+0000");
    assertThatThrownBy(() -> Headers.of("X-Del", "\u007f")).hasMessageContaining("U+007F");
    assertThatThrownBy(() -> Headers.of("A", "1").with("B", "\n"))
        .hasMessageContaining("header 'B'");
    assertThatThrownBy(() -> Headers.of("A", "1", "B"))
        .hasMessageContaining("a value for every name")
        .hasMessageContaining("3");
    assertThatThrownBy(() -> Headers.of("A", null)).isInstanceOf(NullPointerException.class);
    assertThat(Headers.of("X-Tabbed", "a\tb").first("x-tabbed")).isEqualTo("a\tb");
    assertThat(Headers.of("X-Latin", "caf\u00e9").first("X-Latin")).isEqualTo("café");
  }

  @Test
  void equalityIgnoresTheCaseOfNamesButNotOrderAndToStringHidesValues() {
    Headers headers = Headers.of("Content-Type", "text/plain", "Authorization", "Bearer secret");

    assertThat(headers)
        .isEqualTo(Headers.of("content-type", "text/plain", "AUTHORIZATION", "Bearer secret"))
        .hasSameHashCodeAs(
            Headers.of("content-type", "text/plain", "AUTHORIZATION", "Bearer secret"))
        .isNotEqualTo(Headers.of("Authorization", "Bearer secret", "Content-Type", "text/plain"))
        .isNotEqualTo(Headers.of("Content-Type", "TEXT/PLAIN", "Authorization", "Bearer secret"));
    assertThat(headers.toString())
        .contains("Content-Type", "Authorization")
        .doesNotContain("secret");
  }
}
