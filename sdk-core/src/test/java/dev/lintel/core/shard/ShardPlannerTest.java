package dev.lintel.core.shard;

import static dev.lintel.core.shard.ShardRoutersTest.shards;
import static dev.lintel.shard.ShardStrategy.KeyRange;
import static dev.lintel.shard.ShardStrategy.jump;
import static dev.lintel.shard.ShardStrategy.range;
import static dev.lintel.shard.ShardStrategy.rendezvous;
import static dev.lintel.shard.ShardStrategy.ring;
import static dev.lintel.shard.ShardStrategy.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lintel.shard.MovePlan;
import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardMove;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardPlannerTest {
  private static final int KEYS = 1_000_000;

  @Test
  void growingJumpFromNToNPlusOneMovesOneInNPlusOneAndThePlanNamesEveryMovedKey() {
    int n = 10;
    Topology before = jumpTopology(1, n);
    Topology after = jumpTopology(2, n + 1);
    MovePlan plan = ShardPlanner.plan(before, after);

    assertThat(plan.fromVersion()).isEqualTo(1);
    assertThat(plan.toVersion()).isEqualTo(2);
    List<ShardMove.Buckets> moves = plan.moves(ShardMove.Buckets.class);
    assertThat(moves).hasSize(n).allSatisfy(m -> assertThat(m.to()).isEqualTo("s10"));
    assertThat(moves.stream().mapToDouble(ShardMove.Buckets::share).sum())
        .isCloseTo(1.0 / (n + 1), within(1e-12));

    // Route a million keys under both topologies: every key that moves is in the plan's move for
    // its (old bucket, new bucket), no key of a move stays, and the measured shares match.
    ShardRouter<String> old = ShardRouters.create(before, ShardKeyCodec.strings());
    ShardRouter<String> now = ShardRouters.create(after, ShardKeyCodec.strings());
    Map<String, ShardMove.Buckets> byPair = new HashMap<>();
    moves.forEach(m -> byPair.put(m.from() + ">" + m.to(), m));
    Map<String, Integer> counted = new HashMap<>();
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      String key = "user-" + i;
      long hash = Xxh64.hashUtf8(key);
      String from = old.route(key);
      String to = now.route(key);
      ShardMove.Buckets move = byPair.get(from + ">" + to);
      if (from.equals(to)) {
        assertThat(move).isNull();
        continue;
      }
      moved++;
      assertThat(move).as("key %s moves %s -> %s", key, from, to).isNotNull();
      assertThat(JumpHash.bucket(hash, move.fromBuckets())).isEqualTo(move.fromBucket());
      assertThat(JumpHash.bucket(hash, move.toBuckets())).isEqualTo(move.toBucket());
      counted.merge(from + ">" + to, 1, Integer::sum);
    }
    assertThat(moved / (double) KEYS).isCloseTo(1.0 / (n + 1), within(0.005));
    // Each pair's share is 1/110 = 0.91%; binomial sigma at 1M keys is 0.0095 points.
    byPair.forEach(
        (pair, move) ->
            assertThat(counted.getOrDefault(pair, 0) / (double) KEYS)
                .as(pair)
                .isCloseTo(move.share(), within(0.0006)));
  }

  @Test
  void shrinkingJumpMovesOnlyTheLastBucketsKeys() {
    MovePlan plan = ShardPlanner.plan(jumpTopology(5, 8), jumpTopology(6, 6));

    assertThat(plan.moves(ShardMove.Buckets.class))
        .hasSize(12)
        .allSatisfy(
            m -> {
              assertThat(m.fromBucket()).isGreaterThanOrEqualTo(6);
              assertThat(m.share()).isCloseTo(1.0 / 48, within(1e-12));
            });
  }

  @Test
  void replacingAJumpBucketsShardMovesThatWholeBucket() {
    Topology before = Topology.of(1, shards("a", "b", "c"), jump("a", "b", "c"));
    Topology after = before.next(shards("a", "x", "c"), jump("a", "x", "c"));

    assertThat(ShardPlanner.plan(before, after).moves())
        .containsExactly(new ShardMove.Buckets("", 1, 3, 1, 3, "b", "x", 1.0 / 3));
  }

  @Test
  void removingARendezvousShardPlansOnlyItsKeysWeightedByTheRest() {
    List<Shard> shards =
        List.of(Shard.of("a"), Shard.of("b").withWeight(2), Shard.of("c"), Shard.of("d"));
    Topology before = Topology.of(1, shards, rendezvous("a", "b", "c", "d"));
    Topology after = before.next(shards, rendezvous("a", "b", "d"));
    MovePlan plan = ShardPlanner.plan(before, after);

    assertThat(plan.moves(ShardMove.Weighted.class))
        .extracting(ShardMove.Weighted::from)
        .containsOnly("c");
    // c owned 1/5; its keys go to a, b, d in proportion 1:2:1.
    Map<String, Double> predicted = new HashMap<>();
    plan.moves(ShardMove.Weighted.class).forEach(m -> predicted.put(m.to(), m.share()));
    assertThat(predicted.get("a")).isCloseTo(0.05, within(1e-12));
    assertThat(predicted.get("b")).isCloseTo(0.10, within(1e-12));
    assertThat(predicted.get("d")).isCloseTo(0.05, within(1e-12));

    assertMatchesRouting(before, after, plan, 0.003);
  }

  @Test
  void addingARendezvousShardTakesItsShareFromEveryOther() {
    Topology before = Topology.of(1, shards("a", "b", "c"), rendezvous("a", "b", "c"));
    Topology after =
        before.next(
            List.of(Shard.of("a"), Shard.of("b"), Shard.of("c"), Shard.of("big").withWeight(3)),
            rendezvous("a", "b", "c", "big"));
    MovePlan plan = ShardPlanner.plan(before, after);

    assertThat(plan.moves(ShardMove.Weighted.class))
        .allSatisfy(m -> assertThat(m.to()).isEqualTo("big"))
        .extracting(ShardMove.Weighted::share)
        .allSatisfy(share -> assertThat(share).isCloseTo(0.5 / 3, within(1e-12)));
    assertMatchesRouting(before, after, plan, 0.003);
  }

  @Test
  void changingARendezvousWeightIsEstimatedBySampling() {
    Topology before = Topology.of(1, shards("a", "b"), rendezvous("a", "b"));
    Topology after =
        before.next(List.of(Shard.of("a"), Shard.of("b").withWeight(3)), rendezvous("a", "b"));
    MovePlan plan = ShardPlanner.plan(before, after);

    // b's share grows from 1/2 to 3/4: a quarter of the keys move from a to b, none back.
    assertThat(plan.moves())
        .singleElement()
        .satisfies(
            m -> {
              ShardMove.Weighted move = (ShardMove.Weighted) m;
              assertThat(move.from()).isEqualTo("a");
              assertThat(move.to()).isEqualTo("b");
              assertThat(move.share()).isCloseTo(0.25, within(0.01));
            });
    assertMatchesRouting(before, after, plan, 0.01);
  }

  @Test
  void addingARingNodeMovesExactlyTheArcsThePlanLists() {
    List<String> ids = IntStream.range(0, 5).mapToObj(i -> "n" + i).toList();
    List<String> grown = IntStream.range(0, 6).mapToObj(i -> "n" + i).toList();
    Topology before =
        Topology.of(1, ids.stream().map(Shard::of).toList(), new ShardStrategy.Ring(ids, 100));
    Topology after =
        before.next(grown.stream().map(Shard::of).toList(), new ShardStrategy.Ring(grown, 100));
    MovePlan plan = ShardPlanner.plan(before, after);
    List<ShardMove.HashRange> arcs = plan.moves(ShardMove.HashRange.class);

    assertThat(arcs).isNotEmpty().allSatisfy(arc -> assertThat(arc.to()).isEqualTo("n5"));
    double share = arcs.stream().mapToDouble(ShardMove.HashRange::share).sum();
    assertThat(share).isCloseTo(1.0 / 6, within(0.03));

    ShardRouter<Long> old = ShardRouters.create(before, ShardKeyCodec.longs());
    ShardRouter<Long> now = ShardRouters.create(after, ShardKeyCodec.longs());
    int moved = 0;
    for (long key = 0; key < 300_000; key++) {
      long hash = Xxh64.hashLong(key);
      List<ShardMove.HashRange> holding = arcs.stream().filter(arc -> arc.contains(hash)).toList();
      String from = old.route(key);
      String to = now.route(key);
      if (from.equals(to)) {
        assertThat(holding).isEmpty();
      } else {
        moved++;
        assertThat(holding)
            .singleElement()
            .satisfies(
                arc -> {
                  assertThat(arc.from()).isEqualTo(from);
                  assertThat(arc.to()).isEqualTo(to);
                });
      }
    }
    assertThat(moved / 300_000.0).isCloseTo(share, within(0.005));
  }

  @Test
  void splittingARangeMovesExactlyTheSplitOffRange() {
    Topology before =
        Topology.of(
            1,
            shards("a", "b", "c"),
            range(RangeKeyType.LONG, KeyRange.of(null, 100L, "a"), KeyRange.of(100L, null, "b")));
    Topology after =
        before.next(
            shards("a", "b", "c"),
            range(
                RangeKeyType.LONG,
                KeyRange.of(null, 50L, "a"),
                KeyRange.of(50L, 200L, "c"),
                KeyRange.of(200L, null, "b")));

    assertThat(ShardPlanner.plan(before, after).moves())
        .containsExactly(
            new ShardMove.Range("", RangeKeyType.LONG, "50", "100", "a", "c"),
            new ShardMove.Range("", RangeKeyType.LONG, "100", "200", "b", "c"));
  }

  @Test
  void geoPlansEachLocationInItsOwnScope() {
    ShardStrategy before =
        ShardStrategy.geo()
            .location("eu", single("eu-1"))
            .location("us", jump("us-1", "us-2"))
            .fallback("PT", "eu")
            .build();
    ShardStrategy after =
        ShardStrategy.geo()
            .location("eu", jump("eu-1", "eu-2"))
            .location("us", jump("us-1", "us-2"))
            .fallback("PT", "eu")
            .build();
    List<Shard> shards = shards("eu-1", "eu-2", "us-1", "us-2");
    MovePlan plan =
        ShardPlanner.plan(Topology.of(1, shards, before), Topology.of(2, shards, after));

    assertThat(plan.moves())
        .containsExactly(
            new ShardMove.Weighted("geo[PT]", "eu-1", "eu-2", 0.5),
            new ShardMove.Weighted("geo[eu]", "eu-1", "eu-2", 0.5));
  }

  @Test
  void anUnchangedTopologyPlansNothing() {
    Topology topology = jumpTopology(1, 4);

    assertThat(ShardPlanner.plan(topology, topology.next(topology.shards(), topology.strategy())))
        .satisfies(plan -> assertThat(plan.isEmpty()).isTrue());
  }

  @Test
  void aChangeOfHashAlgorithmIsRefusedNamingTheScope() {
    Topology before = Topology.of(1, shards("a", "b"), jump("a", "b"));
    Topology after = before.next(shards("a", "b"), ring(10, "a", "b"));

    assertThatThrownBy(() -> ShardPlanner.plan(before, after))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining("from jump to ring");
  }

  @Test
  void directoryEntriesThatChangeAreListed() {
    List<ShardMove.Entry> moves =
        ShardPlanner.entries(
            "tenants",
            Map.of("acme", "s1", "globex", "s2", "initech", "s3"),
            Map.of("acme", "s1", "globex", "s4", "umbrella", "s2"));

    assertThat(moves)
        .containsExactly(
            new ShardMove.Entry("directory[tenants]", "globex", "s2", "s4"),
            new ShardMove.Entry("directory[tenants]", "initech", "s3", null),
            new ShardMove.Entry("directory[tenants]", "umbrella", null, "s2"));
  }

  private static Topology jumpTopology(long version, int buckets) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < buckets; i++) {
      ids.add("s" + i);
    }
    return Topology.of(version, ids.stream().map(Shard::of).toList(), new ShardStrategy.Jump(ids));
  }

  /** Routes keys under both topologies and compares each shard pair's share with the plan's. */
  private static void assertMatchesRouting(
      Topology before, Topology after, MovePlan plan, double tolerance) {
    ShardRouter<Long> old = ShardRouters.create(before, ShardKeyCodec.longs());
    ShardRouter<Long> now = ShardRouters.create(after, ShardKeyCodec.longs());
    Map<String, Integer> counted = new HashMap<>();
    int keys = 300_000;
    for (long key = 0; key < keys; key++) {
      String from = old.route(key);
      String to = now.route(key);
      if (!from.equals(to)) {
        counted.merge(from + ">" + to, 1, Integer::sum);
      }
    }
    Map<String, Double> predicted = new HashMap<>();
    plan.moves(ShardMove.Weighted.class)
        .forEach(m -> predicted.put(m.from() + ">" + m.to(), m.share()));
    assertThat(counted.keySet()).isSubsetOf(predicted.keySet());
    predicted.forEach(
        (pair, share) ->
            assertThat(counted.getOrDefault(pair, 0) / (double) keys)
                .as(pair)
                .isCloseTo(share, within(tolerance)));
  }
}
