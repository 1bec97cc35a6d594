package dev.lintel.redis.cache;

import dev.lintel.core.cache.TieredCache;

/** The cache contract with L1 turned off: every read is a Redis read. */
class L2OnlyCacheContractIT extends RedisCacheContract {

  @Override
  TieredCache.Builder<String, Item> withL1(TieredCache.Builder<String, Item> builder) {
    return builder.withoutL1();
  }
}
