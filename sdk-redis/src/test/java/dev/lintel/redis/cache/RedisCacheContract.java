package dev.lintel.redis.cache;

import dev.lintel.cache.Cache;
import dev.lintel.cache.CacheLoader;
import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.testing.CacheContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The cache contract on caches whose L2 is the test Redis; subclasses choose the L1. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisCacheContract extends CacheContract {
  private RedisCacheStore redis;

  @BeforeAll
  void connect() {
    redis = openStore();
  }

  @AfterAll
  void disconnect() {
    redis.close();
  }

  /** Opens the store the caches under test share: the test Redis unless overridden. */
  RedisCacheStore openStore() {
    return RedisCaches.sharedRedis();
  }

  /** Sets the L1 of the cache under test. */
  abstract TieredCacheConfig.Builder withL1(TieredCacheConfig.Builder config);

  @Override
  protected Cache<String, Item> newCache(String namespace, CacheLoader<String, Item> loader) {
    TieredCacheConfig config =
        withL1(TieredCacheConfig.custom())
            .l2Ttl(Duration.ofMinutes(5))
            .l2Timeout(Duration.ofSeconds(2))
            .build();
    return TieredCache.builder(namespace, KeyCodec.strings(), Item.class)
        .config(config)
        .l2(redis)
        .loader(loader)
        .build();
  }
}
