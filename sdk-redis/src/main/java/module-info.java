/**
 * Lintel on Redis through Lettuce: the shared cache level with cross-node invalidation, the Redis
 * flag store, the shared rate limit and the Redis health check. {@code dev.lintel.redis.internal}
 * stays unexported.
 */
module dev.lintel.redis {
  requires transitive dev.lintel.core;
  requires transitive lettuce.core;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.lintel.redis.cache;
  exports dev.lintel.redis.flags;
  exports dev.lintel.redis.gateway;
  exports dev.lintel.redis.health;
}
