/**
 * Lintel on Redis through Lettuce, standalone or Redis Cluster ({@code
 * dev.lintel.redis.RedisConnector}): the shared cache level with cross-node invalidation, the Redis
 * flag store, the shared rate limit, the Redis health check, the Redis Streams pipeline source, and
 * the Redis topology store and shard directory. {@code dev.lintel.redis.internal} stays unexported.
 */
module dev.lintel.redis {
  requires transitive dev.lintel.core;
  requires transitive lettuce.core;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.lintel.redis;
  exports dev.lintel.redis.cache;
  exports dev.lintel.redis.flags;
  exports dev.lintel.redis.gateway;
  exports dev.lintel.redis.health;
  exports dev.lintel.redis.pipeline;
  exports dev.lintel.redis.shard;
}
