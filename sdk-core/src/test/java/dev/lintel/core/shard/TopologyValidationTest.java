package dev.lintel.core.shard;

import static dev.lintel.core.shard.ShardRoutersTest.shards;
import static dev.lintel.shard.ShardStrategy.KeyRange;
import static dev.lintel.shard.ShardStrategy.jump;
import static dev.lintel.shard.ShardStrategy.range;
import static dev.lintel.shard.ShardStrategy.rendezvous;
import static dev.lintel.shard.ShardStrategy.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.LintelException;
import dev.lintel.shard.InvalidTopologyException;
import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input is refused at once, with an exception naming the shard, range or region. */
class TopologyValidationTest {

  @Test
  void anEmptyTopologyIsRefused() {
    assertThatThrownBy(() -> Topology.of(4, List.of(), single("a")))
        .isInstanceOf(InvalidTopologyException.class)
        .isInstanceOf(LintelException.class)
        .hasMessage("topology v4 has no shards: a topology needs at least one");
  }

  @Test
  void aVersionBelowOneIsRefused() {
    assertThatThrownBy(() -> Topology.of(0, shards("a"), single("a")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("at least 1, was 0");
  }

  @Test
  void aDuplicateShardIdIsRefusedNamingIt() {
    assertThatThrownBy(() -> Topology.of(1, shards("a", "b", "a"), jump("a", "b")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage("topology v1 has a duplicate shard id 'a'");
    assertThatThrownBy(() -> jump("a", "b", "b"))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage("shard 'b' appears twice in jump buckets");
  }

  @Test
  void weightsMustBePositiveAndFinite() {
    for (double weight : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Shard.of("s1").withWeight(weight))
          .isInstanceOf(InvalidTopologyException.class)
          .hasMessageContaining("shard 's1' has weight " + weight);
    }
  }

  @Test
  void jumpHashRefusesAWeightedShard() {
    assertThatThrownBy(
            () ->
                Topology.of(1, List.of(Shard.of("a"), Shard.of("b").withWeight(2)), jump("a", "b")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("shard 'b' has weight 2.0, but jump hash cannot weight shards");
  }

  @Test
  void aStrategyNamingAnUnknownShardIsRefused() {
    assertThatThrownBy(() -> Topology.of(7, shards("a", "b"), rendezvous("a", "c")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage(
            "topology v7: the strategy routes to shard 'c', which is not among its shards [a, b]");
  }

  @Test
  void invalidIdsAreRefused() {
    assertThatThrownBy(() -> Shard.of("has space"))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("shard id 'has space' is invalid");
    assertThatThrownBy(() -> jump())
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("jump buckets are empty");
  }

  @Test
  void overlappingRangesAreRefusedNamingBoth() {
    assertThatThrownBy(
            () ->
                range(RangeKeyType.LONG, KeyRange.of(null, 100L, "a"), KeyRange.of(50L, null, "b")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage("ranges [-inf, 100) -> a and [50, +inf) -> b overlap on [50, 100)");
    assertThatThrownBy(
            () ->
                range(
                    RangeKeyType.STRING,
                    KeyRange.of(null, "m", "a"),
                    KeyRange.of(null, "z", "b"),
                    KeyRange.of("z", null, "c")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("overlap");
  }

  @Test
  void aHoleBetweenRangesIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                range(
                    RangeKeyType.LONG, KeyRange.of(null, 100L, "a"), KeyRange.of(200L, null, "b")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage(
            "keys in [100, 200) have no range: a hole between [-inf, 100) -> a and [200, +inf) -> b");
  }

  @Test
  void closedOuterEndsAndEmptyRangesAreRefused() {
    assertThatThrownBy(() -> range(RangeKeyType.LONG, KeyRange.of(0L, null, "a")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("keys below 0 have no range");
    assertThatThrownBy(() -> range(RangeKeyType.LONG, KeyRange.of(null, 10L, "a")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("keys from 10 up have no range");
    assertThatThrownBy(
            () ->
                range(
                    RangeKeyType.LONG,
                    KeyRange.of(null, 10L, "a"),
                    KeyRange.of(10L, 5L, "b"),
                    KeyRange.of(5L, null, "c")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage("range [10, 5) -> b is empty: its lower bound must be below its upper bound");
    assertThatThrownBy(() -> range(RangeKeyType.LONG, KeyRange.of("x", null, "a")))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("boundary 'x', which is not a long");
  }

  @Test
  void longBoundariesAreComparedAsNumbersNotText() {
    ShardStrategy.Range ranges =
        range(
            RangeKeyType.LONG,
            KeyRange.of("10", null, "c"),
            KeyRange.of(null, "9", "a"),
            KeyRange.of("009", "10", "b"));

    assertThat(ranges.ranges())
        .containsExactly(
            KeyRange.of(null, "9", "a"), KeyRange.of("9", "10", "b"), KeyRange.of("10", null, "c"));
  }

  @Test
  void aRegionWithNoFallbackIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                ShardStrategy.geo()
                    .location("eu", single("eu-1"))
                    .fallback("PT", "eu-west")
                    .build())
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage("region 'eu-west' has no strategy and no fallback (reached by PT -> eu-west)");
  }

  @Test
  void aFallbackCycleIsRefusedWithItsPath() {
    assertThatThrownBy(
            () ->
                ShardStrategy.geo()
                    .location("eu", single("eu-1"))
                    .fallback("PT", "ES")
                    .fallback("ES", "PT")
                    .build())
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("fallback cycle: ES -> PT -> ES");
  }

  @Test
  void aDefaultLocationMustExistAndALocationIsDeclaredOnce() {
    assertThatThrownBy(
            () -> ShardStrategy.geo().location("eu", single("eu-1")).defaultLocation("us").build())
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage("default location 'us' has no strategy and no fallback");
    assertThatThrownBy(() -> ShardStrategy.geo().location("eu", single("a")).fallback("eu", "us"))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage("location 'eu' is declared twice");
    assertThatThrownBy(() -> ShardStrategy.geo().build())
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("at least one location");
  }

  @Test
  void theRingBoundsItsVirtualNodes() {
    assertThatThrownBy(() -> ShardStrategy.ring(0, "a"))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessage("ring virtual nodes must be within 1..10000, was 0");
  }

  @Test
  void shardLookupByUnknownIdNamesIt() {
    Topology topology = Topology.of(2, shards("a"), single("a"));

    assertThat(topology.hasShard("a")).isTrue();
    assertThatThrownBy(() -> topology.shard("b"))
        .hasMessage("topology v2 has no shard 'b'; its shards are [a]");
  }
}
