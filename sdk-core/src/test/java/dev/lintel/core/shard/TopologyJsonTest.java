package dev.lintel.core.shard;

import static dev.lintel.shard.ShardStrategy.KeyRange;
import static dev.lintel.shard.ShardStrategy.directory;
import static dev.lintel.shard.ShardStrategy.jump;
import static dev.lintel.shard.ShardStrategy.range;
import static dev.lintel.shard.ShardStrategy.rendezvous;
import static dev.lintel.shard.ShardStrategy.ring;
import static dev.lintel.shard.ShardStrategy.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.shard.InvalidTopologyException;
import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyJsonTest {

  @Test
  void everyStrategyRoundTrips() {
    ShardStrategy strategy =
        ShardStrategy.geo()
            .location("eu", jump("eu-1", "eu-2"))
            .location("us", rendezvous("us-1", "us-2"))
            .location("ap", ring(64, "ap-1", "ap-2"))
            .location(
                "archive",
                range(
                    RangeKeyType.LONG,
                    KeyRange.of(null, 0L, "old-1"),
                    KeyRange.of(0L, null, "old-2")))
            .location(
                "tenants",
                directory(
                    "vip",
                    range(
                        RangeKeyType.STRING,
                        KeyRange.of(null, "m", "eu-1"),
                        KeyRange.of("m", null, "eu-2"))))
            .location("lab", single("lab-1"))
            .fallback("PT", "eu")
            .fallback("CA", "us")
            .defaultLocation("us")
            .build();
    Topology topology =
        Topology.of(
            42,
            List.of(
                Shard.of("eu-1", "pg-eu-1"),
                Shard.of("eu-2"),
                Shard.of("us-1").withWeight(2.5),
                Shard.of("us-2"),
                Shard.of("ap-1"),
                Shard.of("ap-2").withWeight(0.5),
                Shard.of("old-1"),
                Shard.of("old-2"),
                Shard.of("lab-1")),
            strategy);

    String json = TopologyJson.write(topology);

    assertThat(TopologyJson.read(json)).isEqualTo(topology);
    assertThat(TopologyJson.write(TopologyJson.read(json))).isEqualTo(json);
    assertThat(json)
        .startsWith(
            "{\"format\":1,\"version\":42,\"shards\":[{\"id\":\"eu-1\",\"weight\":1.0,\"connection\":\"pg-eu-1\"}");
  }

  @Test
  void readsTheDocumentedFormWithDefaults() {
    Topology topology =
        TopologyJson.read(
            """
            {"format": 1, "version": 3,
             "shards": [{"id": "s0"}, {"id": "s1", "connection": "db-1"}],
             "strategy": {"type": "jump", "buckets": ["s0", "s1"]}}
            """);

    assertThat(topology)
        .isEqualTo(
            Topology.of(3, List.of(Shard.of("s0"), Shard.of("s1", "db-1")), jump("s0", "s1")));
  }

  @Test
  void unknownFieldsAreRefusedWithTheirPath() {
    assertRefused(
        "{\"format\":1,\"version\":1,\"shards\":[{\"id\":\"a\",\"wieght\":2}],"
            + "\"strategy\":{\"type\":\"single\",\"shard\":\"a\"}}",
        "$.shards[0]: unknown field 'wieght'; expected [id, weight, connection]");
    assertRefused(
        "{\"format\":1,\"version\":1,\"shards\":[{\"id\":\"a\"}],"
            + "\"strategy\":{\"type\":\"jump\",\"buckets\":[\"a\"],\"seed\":1}}",
        "$.strategy: unknown field 'seed'; expected [type, buckets]");
  }

  @Test
  void wrongTypesMissingFieldsAndDuplicatesAreRefused() {
    assertRefused(
        "{\"format\":1,\"version\":\"2\",\"shards\":[],\"strategy\":{}}",
        "$.version: expected an integer, got \"2\"");
    assertRefused(
        "{\"format\":1,\"version\":1,\"strategy\":{\"type\":\"single\",\"shard\":\"a\"}}",
        "$: missing field 'shards'");
    assertRefused(
        "{\"format\":1,\"version\":1,\"version\":2,\"shards\":[],\"strategy\":{}}",
        "Duplicate field 'version'");
    assertRefused(
        "{\"format\":1,\"version\":1,\"shards\":[{\"id\":\"a\",\"weight\":\"heavy\"}],"
            + "\"strategy\":{\"type\":\"single\",\"shard\":\"a\"}}",
        "$.shards[0].weight: expected a number, got \"heavy\"");
  }

  @Test
  void unknownFormatsAndStrategyTypesAreRefused() {
    assertRefused(
        "{\"format\":2,\"version\":1,\"shards\":[],\"strategy\":{}}",
        "unsupported topology format 2; this version reads 1");
    assertRefused(
        "{\"format\":1,\"version\":1,\"shards\":[{\"id\":\"a\"}],\"strategy\":{\"type\":\"modulo\"}}",
        "$.strategy.type: unknown strategy type 'modulo'");
  }

  @Test
  void invalidTopologiesAreRefusedWithThePathAndTheProblem() {
    assertRefused(
        "{\"format\":1,\"version\":1,\"shards\":[{\"id\":\"a\"},{\"id\":\"a\"}],"
            + "\"strategy\":{\"type\":\"single\",\"shard\":\"a\"}}",
        "duplicate shard id 'a'");
    assertRefused(
        "{\"format\":1,\"version\":1,\"shards\":[{\"id\":\"a\",\"weight\":-1}],"
            + "\"strategy\":{\"type\":\"single\",\"shard\":\"a\"}}",
        "$.shards[0]: shard 'a' has weight -1.0");
    assertRefused(
        "{\"format\":1,\"version\":1,\"shards\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
            + "\"strategy\":{\"type\":\"range\",\"keyType\":\"long\",\"ranges\":["
            + "{\"upper\":\"10\",\"shard\":\"a\"},{\"lower\":\"5\",\"shard\":\"b\"}]}}",
        "$.strategy: ranges [-inf, 10) -> a and [5, +inf) -> b overlap on [5, 10)");
    assertRefused(
        "{\"format\":1,\"version\":1,\"shards\":[{\"id\":\"a\"}],"
            + "\"strategy\":{\"type\":\"geo\",\"locations\":{\"eu\":{\"type\":\"single\",\"shard\":\"a\"}},"
            + "\"fallbacks\":{\"PT\":\"iberia\"}}}",
        "$.strategy: region 'iberia' has no strategy and no fallback");
  }

  @Test
  void textThatIsNotJsonIsRefused() {
    assertRefused("{\"format\":1,", "topology JSON cannot be parsed");
    assertRefused("", "topology JSON is empty");
    assertRefused("[1,2]", "$: expected an object, got ARRAY");
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> TopologyJson.read(json))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining(message);
  }
}
