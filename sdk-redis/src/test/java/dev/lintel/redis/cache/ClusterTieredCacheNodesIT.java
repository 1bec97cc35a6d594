package dev.lintel.redis.cache;

/**
 * The multi-node tests on the test Redis Cluster: coherence over sharded pub/sub, pattern
 * invalidation across every master, one load per key cluster-wide under the distributed lock.
 */
class ClusterTieredCacheNodesIT extends TieredCacheNodesIT {

  @Override
  RedisCacheStore openStore() {
    return RedisCaches.cluster();
  }
}
