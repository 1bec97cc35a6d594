package dev.lintel.redis.cache;

import dev.lintel.core.cache.TieredCacheConfig;

/** The cache contract with L1 turned off: every read is a Redis read. */
class L2OnlyCacheContractIT extends RedisCacheContract {

  @Override
  TieredCacheConfig.Builder withL1(TieredCacheConfig.Builder config) {
    return config.withoutL1();
  }
}
