package dev.lintel.cache;

import dev.lintel.testing.CacheContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cache contract with L1 turned off: every read is a Redis read. */
class L2OnlyCacheContractIT extends CacheContract {
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
        .withoutL1()
        .l2(redis, Duration.ofMinutes(5))
        .l2Timeout(Duration.ofSeconds(2))
        .loader(loader)
        .build();
  }
}
