package dev.lintel.cache;

import dev.lintel.testing.CacheContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cache contract with Caffeine in front of the real Redis. */
class TieredCacheContractIT extends CacheContract {
  private static RedisCacheStore redis;

  @BeforeAll
  static void connect() {
    redis = RedisCaches.sharedRedis();
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @Override
  protected Cache<String, Item> newCache(String namespace, CacheLoader<String, Item> loader) {
    return TieredCache.builder(namespace, KeyCodec.strings(), Item.class)
        .l1(1_000, Duration.ofMinutes(1))
        .l2(redis, Duration.ofMinutes(5))
        .l2Timeout(Duration.ofSeconds(2))
        .loader(loader)
        .build();
  }
}
