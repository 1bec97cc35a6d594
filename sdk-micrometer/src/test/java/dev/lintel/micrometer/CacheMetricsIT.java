package dev.lintel.micrometer;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.redis.cache.RedisCacheStore;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The L2 and cross-node meters of two caches (two nodes) on the real Redis. */
class CacheMetricsIT {
  private final String namespace = "metrics-" + UUID.randomUUID();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private TieredCache<String, String> node() {
    RedisCacheStore store =
        RedisCacheStore.connect(RedisURI.create(TestServers.redis().toString()));
    opened.add(store);
    TieredCache<String, String> cache =
        TieredCache.builder(namespace, KeyCodec.strings(), String.class)
            .config(
                TieredCacheConfig.custom()
                    .l2Ttl(Duration.ofMinutes(1))
                    .l2Timeout(Duration.ofSeconds(2))
                    .build())
            .l2(store)
            .build();
    opened.add(cache);
    return cache;
  }

  private static double count(SimpleMeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  @Test
  void l2ReadsAndInvalidationsMoveTheirMetersOnEachNode() {
    TieredCache<String, String> a = node();
    TieredCache<String, String> b = node();
    SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    SimpleMeterRegistry registryB = new SimpleMeterRegistry();
    LintelMetrics.builder().cache(a).build().bindTo(registryA);
    LintelMetrics.builder().cache(b).build().bindTo(registryB);

    assertThat(b.get("k", key -> "loaded")).isEqualTo("loaded"); // L2 miss on b, then load
    a.put("k", "written by a");
    awaitTrue(
        () -> count(registryB, "cache.invalidations", "direction", "received") >= 1,
        "b received a's invalidation");
    assertThat(b.get("k", key -> "not loaded again")).isEqualTo("written by a");

    assertThat(count(registryA, "cache.invalidations", "direction", "sent")).isEqualTo(1);
    assertThat(count(registryB, "cache.gets", "result", "miss", "level", "l2")).isEqualTo(1);
    assertThat(count(registryB, "cache.gets", "result", "hit", "level", "l2")).isEqualTo(1);
    assertThat(count(registryB, "cache.load", "result", "success")).isEqualTo(1);
    assertThat(count(registryB, "cache.l2.errors")).isZero();
    assertThat(
            registryA
                .get("cache.breaker.state")
                .tags("cache", namespace, "state", "closed")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(
            registryA
                .get("cache.invalidation.channel.down")
                .tags("cache", namespace)
                .gauge()
                .value())
        .isZero();
  }
}
