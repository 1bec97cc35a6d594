package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.cache.BulkCacheLoader;
import dev.lintel.cache.CacheLoadException;
import dev.lintel.cache.CacheLoader;
import dev.lintel.cache.KeyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** How {@code getAll} loads the keys no level holds: together, never one after another. */
class GetAllLoadingTest {
  private static final long DELAY_MS = 300;

  /** A slow per-key loader that records how many calls ran at once and how often each key. */
  private static final class SlowLoader implements CacheLoader<String, String> {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public String load(String key) {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(DELAY_MS));
      running.decrementAndGet();
      return key.endsWith("-none") ? null : "value-of-" + key;
    }
  }

  private static List<String> keys(int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add("k" + i);
    }
    return keys;
  }

  @Test
  void missingKeysLoadTogetherSoTheCallTakesAboutOneLoaderCallNotOnePerKey() {
    SlowLoader loader = new SlowLoader();
    try (TieredCache<String, String> cache =
        TieredCache.builder("bulk", KeyCodec.strings(), String.class)
            .config(TieredCacheConfig.custom().parallelLoads(20).build())
            .loader(loader)
            .build()) {
      long started = System.nanoTime();
      Map<String, String> values = cache.getAll(keys(20));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(values).hasSize(20).containsEntry("k7", "value-of-k7");
      assertThat(tookMs)
          .as("one after another would take %d ms", 20 * DELAY_MS)
          .isLessThan(10 * DELAY_MS);
      assertThat(loader.mostAtOnce).as("loader calls at once").hasValueGreaterThan(1);
      assertThat(loader.calls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
      assertThat(loader.calls).hasSize(20);
    }
  }

  @Test
  void parallelLoadsAreBoundedByTheSetting() {
    SlowLoader loader = new SlowLoader();
    try (TieredCache<String, String> cache =
        TieredCache.builder("bounded", KeyCodec.strings(), String.class).loader(loader).build()) {
      assertThat(cache.getAll(keys(24))).hasSize(24);

      assertThat(loader.mostAtOnce.get())
          .isBetween(2, TieredCacheConfig.ofDefaults().parallelLoads());
    }
  }

  @Test
  void getAllAsyncOnAOneThreadExecutorStillFinishesBecauseTheCallerLoadsToo() throws Exception {
    SlowLoader loader = new SlowLoader();
    ExecutorService one = Executors.newSingleThreadExecutor();
    try (TieredCache<String, String> cache =
        TieredCache.builder("one-thread", KeyCodec.strings(), String.class)
            .loader(loader)
            .executor(one)
            .build()) {
      assertThat(cache.getAllAsync(keys(6)).get(30, TimeUnit.SECONDS)).hasSize(6);
      assertThat(loader.calls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void aBulkLoaderGetsTheMissingKeysInOneCall() {
    List<Set<? extends String>> bulkCalls = new ArrayList<>();
    BulkCacheLoader<String, String> loader =
        new BulkCacheLoader<>() {
          @Override
          public String load(String key) {
            throw new AssertionError("getAll must not load one key at a time: " + key);
          }

          @Override
          public Map<String, String> loadAll(Set<? extends String> keys) {
            bulkCalls.add(Set.copyOf(keys));
            Map<String, String> found = new HashMap<>();
            keys.stream().filter(k -> !k.equals("k3")).forEach(k -> found.put(k, "bulk-" + k));
            return found;
          }
        };
    try (TieredCache<String, String> cache =
        TieredCache.builder("bulk-loader", KeyCodec.strings(), String.class)
            .config(TieredCacheConfig.custom().cacheAbsent(Duration.ofMinutes(1)).build())
            .loader(loader)
            .build()) {
      cache.put("k0", "cached");

      Map<String, String> values = cache.getAll(keys(5));

      assertThat(values)
          .containsEntry("k0", "cached")
          .containsEntry("k1", "bulk-k1")
          .doesNotContainKey("k3")
          .hasSize(4);
      assertThat(bulkCalls).containsExactly(Set.of("k1", "k2", "k3", "k4"));
      assertThat(cache.getAll(keys(5))).isEqualTo(values);
      assertThat(bulkCalls).as("values and the absence were cached").hasSize(1);
    }
  }

  @Test
  void aFailingBulkLoaderFailsTheCallAndCachesNothing() {
    AtomicInteger calls = new AtomicInteger();
    BulkCacheLoader<String, String> failing =
        new BulkCacheLoader<>() {
          @Override
          public String load(String key) {
            return "single-" + key;
          }

          @Override
          public Map<String, String> loadAll(Set<? extends String> keys) throws Exception {
            calls.incrementAndGet();
            throw new java.io.IOException("source down");
          }
        };
    try (TieredCache<String, String> cache =
        TieredCache.builder("bulk-failing", KeyCodec.strings(), String.class)
            .loader(failing)
            .build()) {
      assertThatThrownBy(() -> cache.getAll(keys(3)))
          .isInstanceOf(CacheLoadException.class)
          .hasMessageContaining("3 keys of cache 'bulk-failing'")
          .hasMessageContaining("source down");
      assertThat(cache.get("k1")).as("nothing cached: a single load runs").isEqualTo("single-k1");
      assertThat(calls).hasValue(1);
    }
  }
}
