package dev.lintel.redis.cache;

import dev.lintel.redis.RedisConnector;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import java.net.URI;

/** Stores on the test Redis and on the test Redis Cluster. */
final class RedisCaches {
  private RedisCaches() {}

  static RedisCacheStore sharedRedis() {
    return connect(TestServers.redis());
  }

  static RedisCacheStore cluster() {
    return RedisCacheStore.connect(
        RedisConnector.cluster(RedisURI.create(TestServers.redisCluster().toString()))
            .reconnectDelay(java.time.Duration.ofMillis(200))
            .topologyRefresh(java.time.Duration.ofSeconds(1))
            .connect());
  }

  static RedisCacheStore connect(URI uri) {
    return RedisCacheStore.connect(RedisURI.create(uri.toString()));
  }
}
