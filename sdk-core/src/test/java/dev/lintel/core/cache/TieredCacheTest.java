package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.cache.CacheException;
import dev.lintel.cache.CacheLoadException;
import dev.lintel.cache.CacheLoader;
import dev.lintel.cache.CacheStats;
import dev.lintel.cache.KeyCodec;
import dev.lintel.cache.ValueCodec;
import dev.lintel.health.HealthStatus;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.ManualTimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Local behaviour of {@link TieredCache}: expiry, jitter, absence, early refresh, writers. */
class TieredCacheTest {

  private static TieredCache.Builder<String, String> builder() {
    return TieredCache.builder("test", KeyCodec.strings(), String.class);
  }

  private static TieredCache.Builder<String, String> builder(TieredCacheConfig.Builder config) {
    return builder().config(config.build());
  }

  @Test
  void entriesExpireWithinTheJitteredTimeToLive() {
    ManualTimeSource time = ManualTimeSource.create();
    try (TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().l1(1_000, Duration.ofSeconds(100)).ttlJitter(0.2))
            .timeSource(time)
            .build()) {
      for (int i = 0; i < 200; i++) {
        cache.put("k" + i, "v");
      }

      time.advance(Duration.ofSeconds(79));
      assertThat(countPresent(cache, 200)).as("none expire before ttl - 20%").isEqualTo(200);

      time.advance(Duration.ofSeconds(20)); // at 99 s: some of the spread have expired
      int atNinetyNine = countPresent(cache, 200);
      assertThat(atNinetyNine).as("jitter spreads expiry").isBetween(1, 199);

      time.advance(Duration.ofSeconds(22)); // past ttl + 20%
      assertThat(countPresent(cache, 200)).isZero();
    }
  }

  private static int countPresent(TieredCache<String, String> cache, int keys) {
    int present = 0;
    for (int i = 0; i < keys; i++) {
      if (cache.getIfPresent("k" + i) != null) {
        present++;
      }
    }
    return present;
  }

  @Test
  void absencesAreRememberedBrieflyWhenAsked() {
    ManualTimeSource time = ManualTimeSource.create();
    AtomicInteger calls = new AtomicInteger();
    try (TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().cacheAbsent(Duration.ofSeconds(5)).ttlJitter(0))
            .timeSource(time)
            .build()) {
      CacheLoader<String, String> nothing =
          key -> {
            calls.incrementAndGet();
            return null;
          };

      assertThat(cache.get("ghost", nothing)).isNull();
      assertThat(cache.get("ghost", nothing)).isNull();
      assertThat(calls).hasValue(1);

      time.advance(Duration.ofSeconds(6));
      assertThat(cache.get("ghost", nothing)).isNull();
      assertThat(calls).hasValue(2);
    }
  }

  @Test
  void withoutAbsenceCachingEveryMissReachesTheLoader() {
    AtomicInteger calls = new AtomicInteger();
    try (TieredCache<String, String> cache = builder().build()) {
      for (int i = 0; i < 3; i++) {
        cache.get(
            "ghost",
            key -> {
              calls.incrementAndGet();
              return null;
            });
      }
      assertThat(calls).hasValue(3);
    }
  }

  @Test
  void hotKeysAreRefreshedInTheBackgroundBeforeTheyExpire() {
    ManualTimeSource time = ManualTimeSource.create();
    AtomicInteger version = new AtomicInteger();
    CacheLoader<String, String> slowLoader =
        key -> {
          time.advance(Duration.ofSeconds(1)); // the load "takes" one second
          return "v" + version.incrementAndGet();
        };
    try (TieredCache<String, String> cache =
        builder(
                TieredCacheConfig.custom()
                    .l1(100, Duration.ofSeconds(60))
                    .ttlJitter(0)
                    .earlyRefresh(1.0))
            .timeSource(time)
            .executor(Runnable::run)
            .build()) {
      assertThat(cache.get("hot", slowLoader)).isEqualTo("v1");

      // Long before expiry, XFetch practically never refreshes (needs -ln(r) >= 58).
      for (int i = 0; i < 100; i++) {
        cache.get("hot", slowLoader);
      }
      assertThat(version).hasValue(1);

      // At one load time from expiry, each hit refreshes with probability 1/e.
      time.advance(Duration.ofSeconds(59).minusMillis(1));
      for (int i = 0; i < 100 && version.get() == 1; i++) {
        cache.get("hot", slowLoader);
      }
      assertThat(version.get()).isGreaterThan(1);
      assertThat(cache.getIfPresent("hot")).isEqualTo("v" + version.get());
    }
  }

  @Test
  void writeThroughPersistsBeforeCaching() {
    Map<String, String> database = new ConcurrentHashMap<>();
    try (TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().writeThrough()).writer(database::putAll).build()) {
      cache.put("k", "v");

      assertThat(database).containsEntry("k", "v");
      assertThat(cache.getIfPresent("k")).isEqualTo("v");
    }
  }

  @Test
  void aFailedWriteThroughLeavesTheCacheUntouched() {
    AtomicInteger writes = new AtomicInteger();
    try (TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().writeThrough())
            .writer(
                values -> {
                  if (writes.incrementAndGet() > 1) {
                    throw new IllegalStateException("disk full");
                  }
                })
            .build()) {
      cache.put("k", "old");

      assertThatThrownBy(() -> cache.put("k", "new"))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("'k'")
          .hasMessageContaining("unchanged")
          .hasRootCauseMessage("disk full");
      assertThat(cache.getIfPresent("k")).isEqualTo("old");
    }
  }

  @Test
  void writeBehindCoalescesPerKeyAndFlushesInBatches() {
    List<Map<String, String>> batches = new CopyOnWriteArrayList<>();
    TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().writeBehind(3, Duration.ofHours(1), 100))
            .writer(values -> batches.add(new LinkedHashMap<>(values)))
            .build();
    cache.put("a", "1");
    cache.put("a", "2");
    cache.put("b", "1");
    assertThat(cache.getIfPresent("a")).as("the cache changes at once").isEqualTo("2");
    assertThat(batches).as("two keys: no full batch yet").isEmpty();

    cache.put("c", "1"); // third key: a full batch
    Eventually.awaitTrue(() -> batches.size() == 1, "the first batch");
    assertThat(batches.get(0))
        .containsExactly(Map.entry("a", "2"), Map.entry("b", "1"), Map.entry("c", "1"));

    cache.put("d", "1");
    cache.close(); // flushes what is pending
    assertThat(batches).hasSize(2);
    assertThat(batches.get(1)).containsExactly(Map.entry("d", "1"));
  }

  @Test
  void writeBehindFlushesOnItsIntervalAndRetriesFailures() {
    AtomicInteger attempts = new AtomicInteger();
    Map<String, String> database = new ConcurrentHashMap<>();
    try (TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().writeBehind(100, Duration.ofMillis(20), 1_000))
            .writer(
                values -> {
                  if (attempts.incrementAndGet() <= 2) {
                    throw new IllegalStateException("database restarting");
                  }
                  database.putAll(values);
                })
            .build()) {
      cache.put("k", "v");

      Eventually.awaitTrue(() -> database.containsKey("k"), "the write after two failures");
      assertThat(attempts).hasValue(3);
      assertThat(cache.writeBehindDepth()).isZero();
    }
  }

  @Test
  void whatACrashWouldLoseIsTheQueueDepthAndCloseWritesItAll() throws Exception {
    Map<String, String> database = new ConcurrentHashMap<>();
    TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().writeBehind(500, Duration.ofHours(1), 1_000))
            .writer(database::putAll)
            .build();

    Concurrently.run(
        8,
        thread -> {
          for (int i = 0; i < 50; i++) {
            cache.put("t" + thread + "-" + i, "v");
          }
        });

    // Nothing reached the database yet: a crash now loses exactly what the queue holds.
    assertThat(database).isEmpty();
    assertThat(cache.writeBehindDepth()).isEqualTo(400);

    cache.close();
    assertThat(database).hasSize(400);
    assertThat(cache.writeBehindDepth()).isZero();
  }

  @Test
  void aFullWriteBehindQueueMakesWritersWait() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Map<String, String> database = new ConcurrentHashMap<>();
    try (TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().writeBehind(2, Duration.ofMillis(5), 2))
            .writer(
                values -> {
                  release.await();
                  database.putAll(values);
                })
            .build()) {
      cache.put("a", "1");
      cache.put("b", "1");
      Eventually.awaitTrue(() -> cache.writeBehindDepth() == 2, "the batch in the writer");
      cache.put("c", "1");
      cache.put("d", "1");

      List<Throwable> failures = new CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean returned =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread blocked =
          new Thread(
              () -> {
                try {
                  cache.put("e", "1");
                  returned.set(true);
                } catch (RuntimeException e) {
                  failures.add(e);
                }
              });
      blocked.start();
      Eventually.awaitTrue(
          () -> blocked.getState() == Thread.State.TIMED_WAITING || returned.get(),
          "the fifth write to wait or return");
      assertThat(returned).as("the fifth write waits for room").isFalse();

      release.countDown();
      blocked.join(10_000);
      assertThat(failures).isEmpty();
    }
    assertThat(database).containsOnlyKeys("a", "b", "c", "d", "e");
  }

  @Test
  void statsCountEachLevelAndL1HitsOnlyWhenAsked() {
    try (TieredCache<String, String> counted =
            builder(TieredCacheConfig.custom().recordStats(true)).build();
        TieredCache<String, String> uncounted = builder().build()) {
      for (TieredCache<String, String> cache : List.of(counted, uncounted)) {
        cache.get("a", key -> "1");
        cache.get("a", key -> "1");
        cache.get("a", key -> "1");
        assertThatThrownBy(
                () ->
                    cache.get(
                        "b",
                        key -> {
                          throw new IllegalStateException();
                        }))
            .isInstanceOf(CacheLoadException.class);
      }
      assertThat(counted.stats()).isEqualTo(new CacheStats(2, 2, 0, 0, 0, 0, 1, 1, 0));
      assertThat(uncounted.stats()).isEqualTo(new CacheStats(0, 2, 0, 0, 0, 0, 1, 1, 0));
    }
  }

  @Test
  void loadTimeIsSummedOnTheTimeSourceForSuccessesAndFailures() {
    ManualTimeSource time = ManualTimeSource.create();
    try (TieredCache<String, String> cache = builder().timeSource(time).build()) {
      cache.get(
          "a",
          key -> {
            time.advance(Duration.ofMillis(30));
            return "1";
          });
      assertThatThrownBy(
              () ->
                  cache.get(
                      "b",
                      key -> {
                        time.advance(Duration.ofMillis(12));
                        throw new IllegalStateException();
                      }))
          .isInstanceOf(CacheLoadException.class);

      assertThat(cache.totalLoadTimeNanos()).isEqualTo(Duration.ofMillis(42).toNanos());
      assertThat(cache.breakerState()).as("no L2, no breaker").isEmpty();
      assertThat(cache.invalidationsSent()).isZero();
    }
  }

  @Test
  void writesAndInvalidationsThatReachL2AreCountedAsSent() {
    try (TieredCache<String, String> cache = builder().l2(new InMemoryStore()).build()) {
      cache.put("a", "1");
      cache.invalidate("a");
      cache.invalidateAll("a*");

      assertThat(cache.invalidationsSent()).isEqualTo(3);
      assertThat(cache.breakerState()).hasValue(CircuitBreaker.State.CLOSED);
    }
  }

  @Test
  void evictionsForSizeAreCounted() {
    try (TieredCache<String, String> cache =
        builder(TieredCacheConfig.custom().l1(10, Duration.ofMinutes(1)))
            .executor(Runnable::run)
            .build()) {
      for (int i = 0; i < 100; i++) {
        cache.put("k" + i, "v");
      }
      Eventually.awaitTrue(() -> cache.stats().l1Evictions() >= 90, "size evictions");
    }
  }

  @Test
  void anL1OnlyCacheIsHealthy() throws Exception {
    try (TieredCache<String, String> cache = builder().build()) {
      assertThat(cache.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
    }
  }

  @Test
  void badConfigurationIsRefusedWithTheValue() {
    assertThatThrownBy(() -> TieredCache.builder("bad name", KeyCodec.strings(), String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad name'");
    assertThatThrownBy(() -> TieredCacheConfig.custom().l1(0, Duration.ofSeconds(1)))
        .hasMessageContaining("but was 0");
    assertThatThrownBy(() -> TieredCacheConfig.custom().ttlJitter(0.9)).hasMessageContaining("0.9");
    assertThatThrownBy(() -> TieredCacheConfig.custom().keyPrefix("a*"))
        .hasMessageContaining("'a*'");
    assertThatThrownBy(() -> builder(TieredCacheConfig.custom().withoutL1()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("neither L1 nor L2");
    assertThatThrownBy(() -> builder().build().get("k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without a loader");
  }

  @Test
  void theBuilderRefusesPartsThatDoNotFitTheConfig() {
    assertThatThrownBy(() -> builder().writer(values -> {}).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'test' has a writer but writes cache-aside");
    assertThatThrownBy(() -> builder(TieredCacheConfig.custom().writeThrough()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a writer");
    assertThatThrownBy(
            () ->
                builder(
                        TieredCacheConfig.custom()
                            .distributedLoadLock(Duration.ofSeconds(10), Duration.ofSeconds(1)))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a shared level");
  }

  @Test
  void cachesWithoutAnExecutorShareOneDaemonPoolThatClosingACacheLeavesRunning() throws Exception {
    List<Thread> ranOn = new CopyOnWriteArrayList<>();
    CacheLoader<String, String> recordingThread =
        key -> {
          ranOn.add(Thread.currentThread());
          return key;
        };
    TieredCache<String, String> first = builder().build();
    try (TieredCache<String, String> second = builder().build()) {
      assertThat(first.getAsync("a", recordingThread).get(10, TimeUnit.SECONDS)).isEqualTo("a");
      first.close();

      assertThat(second.getAsync("b", recordingThread).get(10, TimeUnit.SECONDS)).isEqualTo("b");
      assertThat(ranOn)
          .hasSize(2)
          .allSatisfy(
              thread -> {
                assertThat(thread.getName()).matches("lintel-cache-\\d+");
                assertThat(thread.isDaemon()).isTrue();
              });
    }
  }

  @Test
  void aValueTheCodecCannotEncodeIsRefusedBeforeAnythingIsWritten() {
    ValueCodec<String> refusing =
        new ValueCodec<>() {
          @Override
          public byte[] encode(String value) {
            throw new IllegalArgumentException("not serializable");
          }

          @Override
          public String decode(byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
          }
        };
    // The codec only matters with L2; the unit test store keeps bytes in a map.
    try (InMemoryStore store = new InMemoryStore();
        TieredCache<String, String> cache =
            TieredCache.builder("codec", KeyCodec.strings(), refusing)
                .config(TieredCacheConfig.custom().l2Ttl(Duration.ofMinutes(1)).build())
                .l2(store)
                .build()) {
      assertThatThrownBy(() -> cache.put("k", "v"))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("java.lang.String")
          .hasMessageContaining("'k'")
          .hasMessageContaining("'codec'");
      assertThat(cache.getIfPresent("k")).isNull();
      assertThat(store.values).isEmpty();
    }
  }
}
