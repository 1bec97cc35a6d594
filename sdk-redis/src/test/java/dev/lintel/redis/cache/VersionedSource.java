package dev.lintel.redis.cache;

import dev.lintel.cache.Cache;
import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.testing.CacheContract.Item;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The source of truth of a coherence test: keys {@code k0..k(n-1)} whose value is a version that
 * writers raise, with the moment each version was acknowledged (its {@code put} returned), so that
 * a read can be judged against the last acknowledged write. Thread-safe; one writer per key.
 */
final class VersionedSource {
  /** A read that was not stale. */
  static final long FRESH = -1;

  /**
   * One judged read.
   *
   * @param startNanos when it started
   * @param staleness {@link #FRESH}, or how long before it the first newer version was acknowledged
   */
  record Read(long startNanos, long staleness) {
    boolean stale() {
      return staleness != FRESH;
    }
  }

  private final Map<String, Integer> current = new ConcurrentHashMap<>();
  private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();

  VersionedSource(int keys) {
    for (int k = 0; k < keys; k++) {
      current.put("k" + k, 0);
      acknowledged.put("k" + k, 0);
    }
  }

  /** Reads a random key through a cache and judges the answer against the acknowledged writes. */
  Read read(Cache<String, Item> cache) {
    String key = "k" + ThreadLocalRandom.current().nextInt(current.size());
    int mustSee = mustSee(key);
    long start = System.nanoTime();
    Item item = cache.get(key);
    return new Read(start, staleness(key, item, mustSee, start));
  }

  /**
   * A node of the test: a cache on the store whose L1 holds every key (so a hit never reaches L2)
   * and whose loader reads this source.
   */
  TieredCache<String, Item> node(
      RedisCacheStore store, String namespace, Duration l2Timeout, Duration staleWindow) {
    return TieredCache.builder(namespace, KeyCodec.strings(), Item.class)
        .config(
            TieredCacheConfig.custom()
                .l1(10_000, Duration.ofMinutes(10))
                .l2Ttl(Duration.ofMinutes(5))
                .l2Timeout(l2Timeout)
                .l1StaleWindow(staleWindow)
                .build())
        .l2(store)
        .loader(this::load)
        .build();
  }

  /** What the loader reads. */
  Item load(String key) {
    return new Item(key, current.get(key));
  }

  /** Raises a key's version in the source, puts it into the cache and notes when put returned. */
  void write(Cache<String, Item> cache, String key) {
    int version = current.merge(key, 1, Integer::sum);
    cache.put(key, new Item(key, version));
    acknowledge(key, version);
  }

  private void acknowledge(String key, int version) {
    acknowledgedAt.put(key + "#" + version, System.nanoTime());
    acknowledged.put(key, version);
  }

  private int mustSee(String key) {
    return acknowledged.get(key);
  }

  /**
   * Judges a read that started at {@code startNanos}, when {@code mustSee} was acknowledged.
   *
   * @return {@link #FRESH}, or how long before the read the first newer version was acknowledged
   */
  private long staleness(String key, @Nullable Item read, int mustSee, long startNanos) {
    if (read == null || read.quantity() >= mustSee) {
      return FRESH;
    }
    Long newerAt = acknowledgedAt.get(key + "#" + (read.quantity() + 1));
    return newerAt == null ? 0 : Math.max(0, startNanos - newerAt);
  }
}
