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
import static org.assertj.core.api.Assertions.within;

import dev.lintel.shard.InvalidTopologyException;
import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.Shard;
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

class ShardRoutersTest {
  private static final int KEYS = 1_000_000;

  /** A customer key for geo routing: a country and an id. */
  record Customer(String country, String id) {}

  @Test
  void jumpRoutesByTheHashOfTheKeysUtf8Bytes() {
    Topology topology = Topology.of(1, shards("s0", "s1", "s2"), jump("s0", "s1", "s2"));
    ShardRouter<String> router = ShardRouters.create(topology, ShardKeyCodec.strings());

    for (String key : List.of("ada", "bob", "customer-42", "日本")) {
      int bucket = JumpHash.bucket(Xxh64.hashUtf8(key), 3);
      assertThat(router.route(key)).isEqualTo("s" + bucket);
      assertThat(router.shard(key)).isEqualTo(Shard.of("s" + bucket));
    }
    assertThat(router.topology()).isSameAs(topology);
  }

  @Test
  void aNullKeyIsRefusedWithAnIllegalArgumentException() {
    ShardRouter<String> router =
        ShardRouters.create(Topology.of(1, shards("a"), single("a")), ShardKeyCodec.strings());

    assertThatThrownBy(() -> router.route(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null key");
  }

  @Test
  void rendezvousGivesEachShardItsShareOfTheWeight() {
    List<Shard> shards =
        List.of(
            Shard.of("small").withWeight(1),
            Shard.of("medium").withWeight(2),
            Shard.of("large").withWeight(5),
            Shard.of("also-1").withWeight(1),
            Shard.of("half").withWeight(0.5));
    Topology topology =
        Topology.of(1, shards, rendezvous("small", "medium", "large", "also-1", "half"));
    Map<String, Integer> load = route(ShardRouters.create(topology, ShardKeyCodec.longs()), KEYS);

    // Each count is binomial: sigma = sqrt(p(1-p)/N) <= 0.0005 of the keys at N = 1M, so a
    // tolerance of 0.003 is 6 sigma: it never fails for a correct router, and a router that
    // ignored weights (20% each) or mixed them up would miss by 0.03 or more.
    double total = 9.5;
    for (Shard shard : shards) {
      assertThat(load.get(shard.id()) / (double) KEYS)
          .as(shard.id())
          .isCloseTo(shard.weight() / total, within(0.003));
    }
  }

  @Test
  void removingARendezvousShardMovesOnlyItsKeys() {
    Topology before = Topology.of(1, shards("a", "b", "c", "d"), rendezvous("a", "b", "c", "d"));
    Topology after = before.next(shards("a", "b", "d"), rendezvous("a", "b", "d"));
    ShardRouter<Long> old = ShardRouters.create(before, ShardKeyCodec.longs());
    ShardRouter<Long> now = ShardRouters.create(after, ShardKeyCodec.longs());

    int movedFromC = 0;
    for (long key = 0; key < 200_000; key++) {
      String from = old.route(key);
      String to = now.route(key);
      if (!from.equals(to)) {
        assertThat(from).as("key %d moved from a shard that stays", key).isEqualTo("c");
        movedFromC++;
      } else {
        assertThat(from).isNotEqualTo("c");
      }
    }
    assertThat(movedFromC / 200_000.0).isCloseTo(0.25, within(0.005));
  }

  @Test
  void aRingWithVirtualNodesBalancesWithinTenPercent() {
    List<String> ids = IntStream.range(0, 10).mapToObj(i -> "node-" + i).toList();
    Topology topology =
        Topology.of(1, ids.stream().map(Shard::of).toList(), new ShardStrategy.Ring(ids, 1_000));
    Map<String, Integer> load = route(ShardRouters.create(topology, ShardKeyCodec.longs()), KEYS);

    // With v virtual nodes a shard's arc length varies by about 1/sqrt(v) = 3.2% at v = 1000;
    // the fullest of 10 shards lands near +1.5 to +2 sigma, so 10% (about 3 sigma) is the
    // stated tolerance. The ring is deterministic: this checks the layout, not luck.
    double mean = KEYS / 10.0;
    int max = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    int min = load.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
    assertThat(max / mean).isLessThanOrEqualTo(1.10);
    assertThat(min / mean).isGreaterThanOrEqualTo(0.90);
  }

  @Test
  void aRingWithOnePointPerShardBalancesBadlyWhichIsWhyVirtualNodesExist() {
    List<String> ids = IntStream.range(0, 10).mapToObj(i -> "node-" + i).toList();
    Topology topology =
        Topology.of(1, ids.stream().map(Shard::of).toList(), new ShardStrategy.Ring(ids, 1));
    Map<String, Integer> load = route(ShardRouters.create(topology, ShardKeyCodec.longs()), KEYS);

    int max = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertThat(max / (KEYS / 10.0)).isGreaterThan(1.10);
  }

  @Test
  void aWeightedRingGivesAHeavierShardMorePoints() {
    Topology topology =
        Topology.of(1, List.of(Shard.of("a"), Shard.of("b").withWeight(3)), ring(500, "a", "b"));
    Map<String, Integer> load = route(ShardRouters.create(topology, ShardKeyCodec.longs()), KEYS);

    assertThat(load.get("b") / (double) KEYS).isCloseTo(0.75, within(0.03));
  }

  @Test
  void longRangesRouteWithOpenEnds() {
    Topology topology =
        Topology.of(
            1,
            shards("low", "mid", "high"),
            range(
                RangeKeyType.LONG,
                KeyRange.of(1000L, null, "high"),
                KeyRange.of(null, 0L, "low"),
                KeyRange.of(0L, 1000L, "mid")));
    ShardRouter<Long> router = ShardRouters.create(topology, ShardKeyCodec.longs());

    assertThat(router.route(Long.MIN_VALUE)).isEqualTo("low");
    assertThat(router.route(-1L)).isEqualTo("low");
    assertThat(router.route(0L)).isEqualTo("mid");
    assertThat(router.route(999L)).isEqualTo("mid");
    assertThat(router.route(1000L)).isEqualTo("high");
    assertThat(router.route(Long.MAX_VALUE)).isEqualTo("high");
  }

  @Test
  void stringRangesRouteWithOpenEnds() {
    Topology topology =
        Topology.of(
            1,
            shards("a-h", "i-r", "s-z"),
            range(
                RangeKeyType.STRING,
                KeyRange.of(null, "i", "a-h"),
                KeyRange.of("i", "s", "i-r"),
                KeyRange.of("s", null, "s-z")));
    ShardRouter<String> router = ShardRouters.create(topology, ShardKeyCodec.strings());

    assertThat(router.route("")).isEqualTo("a-h");
    assertThat(router.route("hugo")).isEqualTo("a-h");
    assertThat(router.route("i")).isEqualTo("i-r");
    assertThat(router.route("rzzz")).isEqualTo("i-r");
    assertThat(router.route("s")).isEqualTo("s-z");
    assertThat(router.route("zoe")).isEqualTo("s-z");
  }

  @Test
  void aCodecThatCannotReadRangeKeysIsRefusedWhenTheRouterIsBuilt() {
    Topology topology =
        Topology.of(1, shards("a"), range(RangeKeyType.LONG, KeyRange.of((Long) null, null, "a")));

    assertThatThrownBy(() -> ShardRouters.create(topology, ShardKeyCodec.strings()))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("long ranges")
        .hasMessageContaining("ShardKeyCodec.strings()");
  }

  @Test
  void geoRoutesByLocationFollowsFallbacksAndUsesTheDefault() {
    ShardStrategy geo =
        ShardStrategy.geo()
            .location("eu", single("eu-1"))
            .location("us", single("us-1"))
            .fallback("eu-west", "eu")
            .fallback("PT", "eu-west")
            .fallback("CA", "us")
            .defaultLocation("us")
            .build();
    ShardRouter<Customer> router =
        ShardRouters.builder(
                Topology.of(1, shards("eu-1", "us-1"), geo),
                ShardKeyCodec.of(
                    (Customer c) -> c.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .locator(Customer::country)
            .build();

    assertThat(router.route(new Customer("eu", "1"))).isEqualTo("eu-1");
    assertThat(router.route(new Customer("PT", "2"))).isEqualTo("eu-1");
    assertThat(router.route(new Customer("CA", "3"))).isEqualTo("us-1");
    assertThat(router.route(new Customer("JP", "4"))).as("undeclared: default").isEqualTo("us-1");
  }

  @Test
  void geoWithoutADefaultRefusesAnUndeclaredLocationNamingIt() {
    ShardStrategy geo = ShardStrategy.geo().location("eu", single("eu-1")).build();
    ShardRouter<Customer> router =
        ShardRouters.builder(Topology.of(3, shards("eu-1"), geo), customers())
            .locator(Customer::country)
            .build();

    assertThatThrownBy(() -> router.route(new Customer("BR", "1")))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining("location 'BR'")
        .hasMessageContaining("topology v3");
  }

  @Test
  void geoNeedsALocator() {
    ShardStrategy geo = ShardStrategy.geo().location("eu", single("eu-1")).build();

    assertThatThrownBy(() -> ShardRouters.create(Topology.of(1, shards("eu-1"), geo), customers()))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("no locator");
  }

  @Test
  void compositeGeoThenJumpHashesWithinTheRegion() {
    ShardStrategy geo =
        ShardStrategy.geo()
            .location("eu", jump("eu-1", "eu-2", "eu-3"))
            .location("us", jump("us-1", "us-2"))
            .fallback("DE", "eu")
            .build();
    ShardRouter<Customer> router =
        ShardRouters.builder(
                Topology.of(1, shards("eu-1", "eu-2", "eu-3", "us-1", "us-2"), geo), customers())
            .locator(Customer::country)
            .build();

    Map<String, Integer> eu = new HashMap<>();
    for (int i = 0; i < 30_000; i++) {
      String id = "c" + i;
      String shard = router.route(new Customer("DE", id));
      assertThat(shard).isEqualTo("eu-" + (JumpHash.bucket(Xxh64.hashUtf8(id), 3) + 1));
      eu.merge(shard, 1, Integer::sum);
      assertThat(router.route(new Customer("us", id))).startsWith("us-");
    }
    assertThat(eu).containsOnlyKeys("eu-1", "eu-2", "eu-3");
    eu.values().forEach(n -> assertThat(n / 10_000.0).isCloseTo(1.0, within(0.05)));
  }

  @Test
  void directoryEntriesWinAndOtherKeysFallBack() {
    InMemoryShardDirectory tenants = InMemoryShardDirectory.of(Map.of("acme", "big-1"));
    Topology topology =
        Topology.of(1, shards("big-1", "s0", "s1"), directory("tenants", jump("s0", "s1")));
    ShardRouter<String> router =
        ShardRouters.builder(topology, ShardKeyCodec.strings())
            .directory("tenants", tenants)
            .build();

    assertThat(router.route("acme")).isEqualTo("big-1");
    String other = router.route("initech");
    assertThat(other).isEqualTo("s" + JumpHash.bucket(Xxh64.hashUtf8("initech"), 2));

    tenants.assign("initech", "big-1");
    assertThat(router.route("initech")).isEqualTo("big-1");
  }

  @Test
  void aDirectoryWithoutFallbackOrPointingAtAnUnknownShardFailsNamingTheKey() {
    InMemoryShardDirectory tenants = InMemoryShardDirectory.of(Map.of("acme", "gone"));
    ShardRouter<String> router =
        ShardRouters.builder(
                Topology.of(2, shards("s0"), directory("tenants", null)), ShardKeyCodec.strings())
            .directory("tenants", tenants)
            .build();

    assertThatThrownBy(() -> router.route("initech"))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining("directory 'tenants' has no entry for key 'initech'");
    assertThatThrownBy(() -> router.route("acme"))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining("shard 'gone'")
        .hasMessageContaining("topology v2");
  }

  @Test
  void aDirectoryStrategyNeedsItsDirectory() {
    Topology topology = Topology.of(1, shards("s0"), directory("tenants", single("s0")));

    assertThatThrownBy(() -> ShardRouters.create(topology, ShardKeyCodec.strings()))
        .isInstanceOf(InvalidTopologyException.class)
        .hasMessageContaining("directory 'tenants'");
  }

  @Test
  void builtInCodecsHashTheirEncodedBytes() {
    assertThat(ShardKeyCodec.strings().hash("héllo"))
        .isEqualTo(Xxh64.hash(ShardKeyCodec.strings().encode("héllo")));
    assertThat(ShardKeyCodec.longs().hash(-42L))
        .isEqualTo(Xxh64.hash(ShardKeyCodec.longs().encode(-42L)));
    byte[] bytes = {1, 2, 3};
    assertThat(ShardKeyCodec.bytes().hash(bytes)).isEqualTo(Xxh64.hash(bytes));
    ShardKeyCodec<Integer> custom = ShardKeyCodec.of(i -> new byte[] {i.byteValue()});
    assertThat(custom.hash(7)).isEqualTo(Xxh64.hash(new byte[] {7}));
    assertThat(custom.supports(RangeKeyType.LONG)).isFalse();
  }

  static List<Shard> shards(String... ids) {
    List<Shard> shards = new ArrayList<>();
    for (String id : ids) {
      shards.add(Shard.of(id));
    }
    return shards;
  }

  private static ShardKeyCodec<Customer> customers() {
    return ShardKeyCodec.of(c -> c.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Map<String, Integer> route(ShardRouter<Long> router, int keys) {
    Map<String, Integer> load = new HashMap<>();
    for (long key = 0; key < keys; key++) {
      load.merge(router.route(key), 1, Integer::sum);
    }
    return load;
  }
}
