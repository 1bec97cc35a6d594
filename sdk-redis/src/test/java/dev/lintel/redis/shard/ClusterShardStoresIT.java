package dev.lintel.redis.shard;

import dev.lintel.redis.RedisConnector;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import java.time.Duration;

/**
 * The topology store and directory tests on the test Redis Cluster: the Lua scripts run on the
 * master of the hash-tagged slot and announce with {@code SPUBLISH}, which only a sharded
 * subscription on that slot hears, so the watchers and the other node's cache switch only if both
 * work.
 */
class ClusterShardStoresIT extends RedisShardStoresIT {

  @Override
  RedisConnector connector() {
    return RedisConnector.cluster(RedisURI.create(TestServers.redisCluster().toString()))
        .topologyRefresh(Duration.ofSeconds(1))
        .connect();
  }
}
