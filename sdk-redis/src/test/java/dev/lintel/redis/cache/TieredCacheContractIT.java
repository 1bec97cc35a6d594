package dev.lintel.redis.cache;

import dev.lintel.core.cache.TieredCache;
import java.time.Duration;

/** The cache contract with Caffeine in front of the real Redis. */
class TieredCacheContractIT extends RedisCacheContract {

  @Override
  TieredCache.Builder<String, Item> withL1(TieredCache.Builder<String, Item> builder) {
    return builder.l1(1_000, Duration.ofMinutes(1));
  }
}
