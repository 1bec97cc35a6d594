package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.cache.KeyCodec;
import dev.lintel.core.Lintel;
import dev.lintel.health.HealthStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A cache handed to the runtime: reported in readiness, flushed and closed on shutdown. */
class TieredCacheInRuntimeTest {

  @Test
  void theRuntimeReportsTheCacheAndFlushesItsWriteBehindQueueOnShutdown() {
    Map<String, String> database = new ConcurrentHashMap<>();
    TieredCache<String, String> cache =
        TieredCache.builder("orders", KeyCodec.strings(), String.class)
            .config(TieredCacheConfig.custom().writeBehind(100, Duration.ofHours(1), 1_000).build())
            .writer(database::putAll)
            .build();
    Lintel lintel = Lintel.builder().cache(cache).build().start();

    assertThat(lintel.readiness().check("cache-orders").status()).isEqualTo(HealthStatus.UP);
    cache.put("o-1", "placed");
    assertThat(database).isEmpty();

    lintel.close();

    assertThat(database).containsEntry("o-1", "placed");
  }
}
