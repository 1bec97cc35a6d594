package dev.lintel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.cache.Cache;
import dev.lintel.cache.CacheLoadException;
import dev.lintel.cache.CacheLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Cache} guarantees, whatever its levels: subclasses build L1-only, L2-only and
 * tiered caches and inherit these tests. Each test gets a fresh namespace, so a shared Redis keeps
 * tests apart.
 */
public abstract class CacheContract {

  /** The value type the contract caches: a record, so codecs are exercised for real. */
  public record Item(String name, int quantity) {}

  private final List<AutoCloseable> opened = new ArrayList<>();

  /**
   * Builds the cache under test.
   *
   * @param namespace a namespace no other test uses
   * @param loader the default loader
   * @return the cache; closed after the test if it is {@link AutoCloseable}
   */
  protected abstract Cache<String, Item> newCache(
      String namespace, CacheLoader<String, Item> loader);

  private Cache<String, Item> cache(CacheLoader<String, Item> loader) {
    Cache<String, Item> cache = newCache("contract-" + UUID.randomUUID(), loader);
    if (cache instanceof AutoCloseable closeable) {
      opened.add(closeable);
    }
    return cache;
  }

  @AfterEach
  void closeCaches() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private static CacheLoader<String, Item> counting(Map<String, AtomicInteger> calls) {
    return key -> {
      calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      return key.startsWith("none") ? null : new Item(key, key.length());
    };
  }

  @Test
  void getLoadsOnMissAndHitsAfterwards() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Cache<String, Item> cache = cache(counting(calls));

    assertThat(cache.get("apple")).isEqualTo(new Item("apple", 5));
    assertThat(cache.get("apple")).isEqualTo(new Item("apple", 5));
    assertThat(cache.getIfPresent("apple")).isEqualTo(new Item("apple", 5));

    assertThat(calls.get("apple")).hasValue(1);
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  @Test
  void getIfPresentNeverLoads() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Cache<String, Item> cache = cache(counting(calls));

    assertThat(cache.getIfPresent("pear")).isNull();
    assertThat(calls).isEmpty();
  }

  @Test
  void putIsReadBackAndReplacesTheOldValue() {
    Cache<String, Item> cache = cache(key -> new Item("loaded", 0));

    cache.put("plum", new Item("plum", 1));
    cache.put("plum", new Item("plum", 2));

    assertThat(cache.get("plum")).isEqualTo(new Item("plum", 2));
  }

  @Test
  void invalidateMakesTheNextGetLoadAgain() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Cache<String, Item> cache = cache(counting(calls));
    cache.get("fig");

    cache.invalidate("fig");

    assertThat(cache.getIfPresent("fig")).isNull();
    assertThat(cache.get("fig")).isEqualTo(new Item("fig", 3));
    assertThat(calls.get("fig")).hasValue(2);
  }

  @Test
  void absentValuesAreNullAndNotCachedAsValues() {
    Cache<String, Item> cache = cache(counting(new ConcurrentHashMap<>()));

    assertThat(cache.get("none-1")).isNull();
    assertThat(cache.getAll(List.of("none-1", "kiwi"))).containsOnlyKeys("kiwi");
  }

  @Test
  void getAllAnswersFromEveryLevelAndLoadsTheRest() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Cache<String, Item> cache = cache(counting(calls));
    cache.put("a", new Item("put", 1));
    cache.get("b");

    Map<String, Item> all = cache.getAll(List.of("a", "b", "c"));

    assertThat(all)
        .containsEntry("a", new Item("put", 1))
        .containsEntry("b", new Item("b", 1))
        .containsEntry("c", new Item("c", 1));
    assertThat(calls).containsOnlyKeys("b", "c");
    assertThat(calls.get("b")).hasValue(1);
  }

  @Test
  void warmLoadsOnlyWhatIsMissing() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Cache<String, Item> cache = cache(counting(calls));
    cache.put("w1", new Item("w1", 9));

    cache.warm(List.of("w1", "w2", "w3"));

    assertThat(calls).containsOnlyKeys("w2", "w3");
    assertThat(cache.getIfPresent("w3")).isEqualTo(new Item("w3", 2));
  }

  @Test
  void invalidateAllRemovesOnlyTheMatchingKeys() {
    Cache<String, Item> cache = cache(key -> null);
    for (int i = 0; i < 20; i++) {
      cache.put("user:" + i, new Item("u", i));
      cache.put("order:" + i, new Item("o", i));
    }

    cache.invalidateAll("user:*");

    for (int i = 0; i < 20; i++) {
      assertThat(cache.getIfPresent("user:" + i)).isNull();
      assertThat(cache.getIfPresent("order:" + i)).isEqualTo(new Item("o", i));
    }
  }

  @Test
  void aFailingLoaderIsReportedWithTheKeyAndNothingIsCached() {
    AtomicInteger calls = new AtomicInteger();
    Cache<String, Item> cache =
        cache(
            key -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
              }
              return new Item(key, 1);
            });

    assertThatThrownBy(() -> cache.get("melon"))
        .isInstanceOf(CacheLoadException.class)
        .hasMessageContaining("melon")
        .hasRootCauseMessage("database down");
    assertThat(cache.get("melon")).isEqualTo(new Item("melon", 1));
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
  }

  @Test
  void nullKeysAndValuesAreRejected() {
    Cache<String, Item> cache = cache(key -> null);

    assertThatThrownBy(() -> cache.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.put(null, new Item("x", 1)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void asyncFormsAgreeWithBlockingOnes() throws Exception {
    Cache<String, Item> cache = cache(key -> new Item(key, 7));

    cache.putAsync("async", new Item("async", 1)).get(10, TimeUnit.SECONDS);
    assertThat(cache.getAsync("async", key -> null).get(10, TimeUnit.SECONDS))
        .isEqualTo(new Item("async", 1));
    assertThat(cache.getAsync("other", key -> new Item(key, 2)).get(10, TimeUnit.SECONDS))
        .isEqualTo(new Item("other", 2));
    cache.invalidateAsync("async").get(10, TimeUnit.SECONDS);
    assertThat(cache.getIfPresent("async")).isNull();
    assertThat(cache.getAllAsync(List.of("other")).get(10, TimeUnit.SECONDS))
        .containsOnlyKeys("other");
  }

  @Test
  void concurrentMissesOfOneKeyShareOneLoad() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Cache<String, Item> cache =
        cache(
            key -> {
              calls.incrementAndGet();
              Thread.sleep(100);
              return new Item(key, 1);
            });
    List<Item> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    Concurrently.run(32, thread -> seen.add(cache.get("hot")));

    assertThat(calls).hasValue(1);
    assertThat(seen).hasSize(32).containsOnly(new Item("hot", 1));
  }
}
