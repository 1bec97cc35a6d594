package dev.lintel.redis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.health.HealthStatus;
import dev.lintel.testing.CacheContract.Item;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Kills a private Redis under traffic: callers never see an exception, values keep coming from L1
 * and the loader, the breaker opens (health DEGRADED), and after a restart the breaker closes, L1
 * is cleared (invalidations may have been missed) and L2 serves again.
 */
class RedisOutageIT {

  @Test
  void killingRedisMidTrafficNeverReachesCallersAndRecoveryUsesL2Again() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        RedisCacheStore store = RedisCaches.connect(redis.uri());
        TieredCache<String, Item> cache =
            TieredCache.builder("outage", KeyCodec.strings(), Item.class)
                .config(
                    TieredCacheConfig.custom()
                        .l1(20, Duration.ofMinutes(10)) // small: most reads reach L2
                        .l2Ttl(Duration.ofMinutes(5))
                        .l2Timeout(Duration.ofMillis(200))
                        .build())
                .l2(store)
                .loader(key -> new Item(key, key.length()))
                .build()) {
      cache.put("pinned", new Item("pinned", 1));
      List<Throwable> callerErrors = new CopyOnWriteArrayList<>();
      AtomicLong reads = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService traffic = Executors.newFixedThreadPool(4);
      List<Future<?>> workers = new CopyOnWriteArrayList<>();
      for (int t = 0; t < 4; t++) {
        workers.add(
            traffic.submit(
                () -> {
                  int i = 0;
                  while (!stop.get()) {
                    String key = "key-" + (i++ % 200);
                    try {
                      Item item = cache.get(key);
                      if (!new Item(key, key.length()).equals(item)) {
                        callerErrors.add(new AssertionError("wrong value " + item + " for " + key));
                      }
                      cache.put("written-" + (i % 50), new Item("w", i));
                      reads.incrementAndGet();
                    } catch (Throwable e) {
                      callerErrors.add(e);
                    }
                  }
                }));
      }
      try {
        Eventually.awaitTrue(() -> cache.stats().l2Hits() > 100, "L2 in use");
        assertThat(cache.healthCheck().check().status()).isEqualTo(HealthStatus.UP);

        redis.kill();
        Eventually.awaitTrue(
            () -> health(cache) == HealthStatus.DEGRADED, "the breaker to open (DEGRADED)");
        long readsWhileDown = reads.get();
        Eventually.awaitTrue(
            () -> reads.get() > readsWhileDown + 1_000, "reads while Redis is down");

        long l2HitsBeforeRestart = cache.stats().l2Hits();
        redis.start();
        Eventually.awaitTrue(() -> health(cache) == HealthStatus.UP, "the breaker to close");
        Eventually.awaitTrue(
            () -> cache.stats().l2Hits() > l2HitsBeforeRestart + 100, "L2 hits after the restart");
      } finally {
        stop.set(true);
        traffic.shutdown();
        assertThat(traffic.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      assertThat(callerErrors).as("errors seen by callers").isEmpty();
    }
  }

  @Test
  void afterAReconnectL1IsClearedBecauseInvalidationsMayHaveBeenMissed() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        RedisCacheStore store = RedisCaches.connect(redis.uri());
        TieredCache<String, Item> cache =
            TieredCache.builder("reconnect", KeyCodec.strings(), Item.class)
                .config(TieredCacheConfig.custom().l2Ttl(Duration.ofMinutes(5)).build())
                .l2(store)
                .build()) {
      cache.put("k", new Item("k", 1));
      assertThat(cache.getIfPresent("k")).isNotNull();
      assertThat(store.healthCheck().check().status()).isEqualTo(HealthStatus.UP);

      redis.kill();
      assertThat(store.healthCheck().check().status()).isEqualTo(HealthStatus.DOWN);
      redis.start(); // empty: Redis keeps nothing on disk here
      Eventually.awaitTrue(() -> cache.getIfPresent("k") == null, "L1 cleared after reconnect");
    }
  }

  private static HealthStatus health(TieredCache<?, ?> cache) {
    try {
      return cache.healthCheck().check().status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
