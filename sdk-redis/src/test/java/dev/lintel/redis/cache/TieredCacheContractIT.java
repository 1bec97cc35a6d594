package dev.lintel.redis.cache;

import dev.lintel.core.cache.TieredCacheConfig;
import java.time.Duration;

/** The cache contract with Caffeine in front of the real Redis. */
class TieredCacheContractIT extends RedisCacheContract {

  @Override
  TieredCacheConfig.Builder withL1(TieredCacheConfig.Builder config) {
    return config.l1(1_000, Duration.ofMinutes(1));
  }
}
