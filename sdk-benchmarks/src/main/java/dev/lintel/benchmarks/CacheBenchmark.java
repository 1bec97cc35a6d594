package dev.lintel.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.JacksonValueCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.cache.RedisCacheStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cache reads that hit:
 *
 * <ul>
 *   <li>{@code lintelL1Hit}: {@link TieredCache#get(Object)} answered by its Caffeine level, vs
 *       {@code caffeineGetIfPresent}: a raw Caffeine cache of the same size, expiry and keys;
 *   <li>{@code lintelL2Hit}: a {@link TieredCache} without L1 answered by Redis (breaker, timeout,
 *       shared in-flight lookup, Jackson decode), vs {@code lettuceGet}: a raw Lettuce sync {@code
 *       GET} of the same key plus the same Jackson decode. Needs Redis ({@code
 *       LINTEL_TEST_REDIS_URI}, default {@code redis://127.0.0.1:6379}).
 *   <li>{@code lintelL2HitCluster}: the same L2-only cache on a Redis Cluster (through {@link
 *       RedisConnector#cluster}: slot routing, breaker, timeout, decode), vs {@code
 *       lettuceClusterGet}: the same {@code GET} through Lettuce's own cluster client plus the same
 *       decode. Needs a cluster ({@code LINTEL_TEST_REDIS_CLUSTER_URI}, which {@code
 *       scripts/with-services.sh} starts).
 * </ul>
 *
 * Keys are created in setup, so {@code -prof gc} shows what the read itself allocates.
 *
 * <pre>
 * java -jar sdk-benchmarks/target/benchmarks.jar 'CacheBenchmark.(lintelL1Hit|caffeine)' -t 1 -prof gc
 * java -jar sdk-benchmarks/target/benchmarks.jar 'CacheBenchmark.(lintelL1Hit|caffeine)' -t 2 -prof gc
 * java -jar sdk-benchmarks/target/benchmarks.jar 'CacheBenchmark.(lintelL2Hit|lettuceGet)'
 * scripts/with-services.sh java -jar sdk-benchmarks/target/benchmarks.jar 'CacheBenchmark.(lintelL2HitCluster|lettuceClusterGet)'
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CacheBenchmark {
  static final int KEYS = 8_192; // a power of two: the index is masked
  static final Item VALUE = new Item("keyboard", 2, 49.90);

  /** The cached value: a small record, as a host would cache. */
  public record Item(String name, int quantity, double price) {}

  static String[] keys() {
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "item-" + i;
    }
    return keys;
  }

  /** Each thread walks the key set from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    @Setup
    public void setUp() {
      next = (int) (Thread.currentThread().getId() * 7919);
    }

    int nextIndex() {
      return next++ & (KEYS - 1);
    }
  }

  /** The L1 side: a Lintel cache and a raw Caffeine cache holding the same entries. */
  @State(Scope.Benchmark)
  public static class Local {
    final String[] keys = keys();
    TieredCache<String, Item> lintel;
    com.github.benmanes.caffeine.cache.Cache<String, Item> caffeine;

    @Setup
    public void setUp() {
      lintel =
          TieredCache.builder("bench", KeyCodec.strings(), Item.class)
              .config(TieredCacheConfig.custom().l1(KEYS * 2L, Duration.ofMinutes(30)).build())
              .loader(key -> VALUE)
              .build();
      caffeine =
          Caffeine.newBuilder()
              .maximumSize(KEYS * 2L)
              .expireAfterWrite(Duration.ofMinutes(30))
              .build();
      for (String key : keys) {
        lintel.put(key, VALUE);
        caffeine.put(key, VALUE);
      }
    }

    @TearDown
    public void tearDown() {
      lintel.close();
    }
  }

  /** What both L2 states share: an L2-only Lintel cache on a store, holding every key. */
  public abstract static class L2Side {
    final String[] keys = keys();
    final String[] qualifiedKeys = new String[KEYS];
    final JacksonValueCodec<Item> codec = JacksonValueCodec.of(Item.class);
    RedisCacheStore store;
    TieredCache<String, Item> lintel;

    /** Builds the Lintel side on the store and writes every key through it. */
    void fill(RedisCacheStore redis, String namespace) {
      store = redis;
      lintel =
          TieredCache.builder(namespace, KeyCodec.strings(), codec)
              .config(TieredCacheConfig.custom().withoutL1().l2Ttl(Duration.ofHours(1)).build())
              .l2(store)
              .loader(key -> VALUE)
              .build();
      for (int i = 0; i < KEYS; i++) {
        lintel.put(keys[i], VALUE);
        qualifiedKeys[i] = "lintel:" + namespace + ":" + keys[i];
      }
    }

    void closeLintel() {
      lintel.close();
      store.close();
    }
  }

  /** The L2 side: the same entries in Redis, read through Lintel without L1 and through Lettuce. */
  @State(Scope.Benchmark)
  public static class Remote extends L2Side {
    RedisClient client;
    StatefulRedisConnection<String, byte[]> connection;
    RedisCommands<String, byte[]> lettuce;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      String uri = System.getenv().getOrDefault("LINTEL_TEST_REDIS_URI", "redis://127.0.0.1:6379");
      fill(RedisCacheStore.connect(RedisURI.create(uri)), "bench-l2");
      client = RedisClient.create(uri);
      connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      lettuce = connection.sync();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      closeLintel();
      connection.close();
      client.shutdown();
    }
  }

  /** The L2 side on a Redis Cluster: Lintel without L1, and Lettuce's cluster client. */
  @State(Scope.Benchmark)
  public static class RemoteCluster extends L2Side {
    RedisClusterClient client;
    StatefulRedisClusterConnection<String, byte[]> connection;
    RedisAdvancedClusterCommands<String, byte[]> lettuce;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      String uri =
          System.getenv().getOrDefault("LINTEL_TEST_REDIS_CLUSTER_URI", "redis://127.0.0.1:7000");
      fill(
          RedisCacheStore.connect(RedisConnector.cluster(RedisURI.create(uri)).connect()),
          "bench-l2-cluster");
      client = RedisClusterClient.create(uri);
      connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      lettuce = connection.sync();
      for (int i = 0; i < KEYS; i++) { // both open their node connections before measuring
        lettuce.get(qualifiedKeys[i]);
        lintel.getIfPresent(keys[i]);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      closeLintel();
      connection.close();
      client.shutdown();
    }
  }

  @Benchmark
  public Item lintelL1Hit(Local local, Cursor cursor) {
    return local.lintel.get(local.keys[cursor.nextIndex()]);
  }

  @Benchmark
  public Item caffeineGetIfPresent(Local local, Cursor cursor) {
    return local.caffeine.getIfPresent(local.keys[cursor.nextIndex()]);
  }

  @Benchmark
  public Item lintelL2Hit(Remote remote, Cursor cursor) {
    return remote.lintel.getIfPresent(remote.keys[cursor.nextIndex()]);
  }

  @Benchmark
  public Item lettuceGet(Remote remote, Cursor cursor) throws Exception {
    return remote.codec.decode(remote.lettuce.get(remote.qualifiedKeys[cursor.nextIndex()]));
  }

  @Benchmark
  public Item lintelL2HitCluster(RemoteCluster remote, Cursor cursor) {
    return remote.lintel.getIfPresent(remote.keys[cursor.nextIndex()]);
  }

  @Benchmark
  public Item lettuceClusterGet(RemoteCluster remote, Cursor cursor) throws Exception {
    return remote.codec.decode(remote.lettuce.get(remote.qualifiedKeys[cursor.nextIndex()]));
  }
}
