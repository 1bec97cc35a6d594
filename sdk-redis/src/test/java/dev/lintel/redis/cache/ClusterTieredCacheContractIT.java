package dev.lintel.redis.cache;

/** The cache contract with Caffeine in front of the test Redis Cluster. */
class ClusterTieredCacheContractIT extends TieredCacheContractIT {

  @Override
  RedisCacheStore openStore() {
    return RedisCaches.cluster();
  }
}
