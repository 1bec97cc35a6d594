package dev.lintel.redis.cache;

import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import java.net.URI;

/** Stores on the test Redis. */
final class RedisCaches {
  private RedisCaches() {}

  static RedisCacheStore sharedRedis() {
    return connect(TestServers.redis());
  }

  static RedisCacheStore connect(URI uri) {
    return RedisCacheStore.connect(RedisURI.create(uri.toString()));
  }
}
