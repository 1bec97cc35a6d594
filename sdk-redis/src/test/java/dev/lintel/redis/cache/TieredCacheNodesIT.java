package dev.lintel.redis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.cache.CacheLoader;
import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.testing.CacheContract.Item;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two or more {@link TieredCache}s with their own L1 and their own Redis connections, sharing one
 * Redis: they stand for nodes of one service.
 */
class TieredCacheNodesIT {
  private static final Logger log = LoggerFactory.getLogger(TieredCacheNodesIT.class);

  private final String namespace = "nodes-" + UUID.randomUUID();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<RedisCacheStore> stores = new ArrayList<>();

  /** Opens the store (connections) of one node: on the test Redis unless overridden. */
  RedisCacheStore openStore() {
    return RedisCaches.sharedRedis();
  }

  @AfterEach
  void close() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  /** A node: its own store (connections) and its own cache. */
  private TieredCache<String, Item> node(
      CacheLoader<String, Item> loader,
      java.util.function.UnaryOperator<TieredCacheConfig.Builder> options) {
    RedisCacheStore store = openStore();
    opened.add(store);
    stores.add(store);
    TieredCacheConfig config =
        options
            .apply(
                TieredCacheConfig.custom()
                    .l1(10_000, Duration.ofMinutes(10))
                    .l2Ttl(Duration.ofMinutes(5))
                    .l2Timeout(Duration.ofSeconds(2))
                    .recordStats(true))
            .build();
    TieredCache<String, Item> cache =
        TieredCache.builder(namespace, KeyCodec.strings(), Item.class)
            .config(config)
            .l2(store)
            .loader(loader)
            .build();
    opened.add(cache);
    return cache;
  }

  private TieredCache<String, Item> node(CacheLoader<String, Item> loader) {
    return node(loader, config -> config);
  }

  @Test
  void aWriteOnOneNodeIsNeverServedStaleByAnotherOnceItsInvalidationArrived() {
    Map<String, Item> database = new ConcurrentHashMap<>();
    database.put("k", new Item("v", 0));
    TieredCache<String, Item> a = node(database::get);
    TieredCache<String, Item> b = node(database::get);
    List<Long> delaysMicros = new ArrayList<>();

    for (int round = 1; round <= 300; round++) {
      assertThat(b.get("k")).as("B holds the old value in L1").isEqualTo(new Item("v", round - 1));
      long received = b.stats().invalidationsReceived();

      Item next = new Item("v", round);
      database.put("k", next);
      a.put("k", next);
      long written = System.nanoTime();

      long deadline = written + Duration.ofSeconds(20).toNanos();
      while (b.stats().invalidationsReceived() == received) { // spin: measure, do not poll
        assertThat(System.nanoTime() - deadline).as("invalidation %d arrived", round).isNegative();
        Thread.onSpinWait();
      }
      delaysMicros.add((System.nanoTime() - written) / 1_000);
      for (int read = 0; read < 3; read++) {
        assertThat(b.get("k")).as("B after the invalidation arrived").isEqualTo(next);
      }
    }

    Collections.sort(delaysMicros);
    long p50 = delaysMicros.get(delaysMicros.size() / 2);
    long p99 = delaysMicros.get(delaysMicros.size() * 99 / 100);
    log.info("Invalidation propagation between two nodes: p50 {} µs, p99 {} µs", p50, p99);
    assertThat(p99).as("p99 propagation delay in µs (generous bound)").isLessThan(1_000_000);
  }

  @Test
  void patternInvalidationEvictsMatchingEntriesFromEveryNode() {
    TieredCache<String, Item> a = node(key -> new Item(key, 1));
    TieredCache<String, Item> b = node(key -> new Item(key, 1));
    for (int i = 0; i < 50; i++) {
      b.get("user:" + i);
      b.get("order:" + i);
    }
    long received = b.stats().invalidationsReceived();

    assertThat(a.invalidateAll("user:*")).isEqualTo(50);

    Eventually.awaitTrue(() -> b.stats().invalidationsReceived() > received, "the pattern");
    long loadsBefore = b.stats().loads();
    for (int i = 0; i < 50; i++) {
      b.get("order:" + i);
    }
    assertThat(b.stats().loads()).as("orders stayed in B's L1").isEqualTo(loadsBefore);
    for (int i = 0; i < 50; i++) {
      b.get("user:" + i);
    }
    assertThat(b.stats().loads())
        .as("users were evicted from B and from Redis")
        .isEqualTo(loadsBefore + 50);
  }

  @Test
  void withTheDistributedLockSixtyFourThreadsOnTwoNodesLoadOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CacheLoader<String, Item> slowLoader =
        key -> {
          loads.incrementAndGet();
          Thread.sleep(300);
          return new Item(key, 42);
        };
    java.util.function.UnaryOperator<TieredCacheConfig.Builder> locked =
        config -> config.distributedLoadLock(Duration.ofSeconds(10), Duration.ofSeconds(5));
    List<TieredCache<String, Item>> nodes =
        List.of(node(slowLoader, locked), node(slowLoader, locked));
    List<Item> seen = Collections.synchronizedList(new ArrayList<>());

    Concurrently.run(64, thread -> seen.add(nodes.get(thread % 2).get("hot")));

    assertThat(loads).as("loader calls across both nodes").hasValue(1);
    assertThat(seen).hasSize(64).containsOnly(new Item("hot", 42));
  }

  @Test
  void withoutTheLockEachNodeLoadsAtMostOnce() throws Exception {
    Map<Integer, AtomicInteger> loadsPerNode = new ConcurrentHashMap<>();
    List<TieredCache<String, Item>> nodes = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      int node = n;
      nodes.add(
          node(
              key -> {
                loadsPerNode.computeIfAbsent(node, x -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(300);
                return new Item(key, 7);
              }));
    }

    Concurrently.run(64, thread -> nodes.get(thread % 2).get("hot"));

    assertThat(loadsPerNode.values())
        .allSatisfy(count -> assertThat(count).hasValueLessThanOrEqualTo(1));
    assertThat(loadsPerNode.values().stream().mapToInt(AtomicInteger::get).sum()).isBetween(1, 2);
  }

  @Test
  void aCorruptEntryInRedisIsAMissNotACrash() {
    TieredCache<String, Item> cache = node(key -> new Item(key, 5));
    RedisCacheStore raw = stores.get(0);
    String key = "lintel:" + namespace + ":broken";
    raw.set(key, "{not json at all".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1)).join();

    assertThat(cache.getIfPresent("broken")).isNull();
    assertThat(cache.get("broken")).isEqualTo(new Item("broken", 5));
    assertThat(cache.stats().l2Misses()).isGreaterThanOrEqualTo(2);
    assertThat(new String(raw.get(key).join(), StandardCharsets.UTF_8))
        .as("the load replaced the corrupt entry")
        .contains("\"broken\"");
  }

  @Test
  void anL2HitFillsL1AndALoadFillsBothLevels() {
    AtomicInteger loads = new AtomicInteger();
    TieredCache<String, Item> a =
        node(
            key -> {
              loads.incrementAndGet();
              return new Item(key, 3);
            });
    TieredCache<String, Item> b = node(key -> new Item("never", 0));

    a.get("shared");
    assertThat(b.get("shared")).as("B finds A's load in Redis").isEqualTo(new Item("shared", 3));
    assertThat(b.stats().l2Hits()).isEqualTo(1);
    b.get("shared");
    assertThat(b.stats().l1Hits()).as("and keeps it in its L1").isEqualTo(1);
    assertThat(loads).hasValue(1);
  }
}
