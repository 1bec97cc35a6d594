/**
 * Sharding on Redis, standalone or Redis Cluster: a topology store and a shard directory kept in
 * Redis, with changes announced over pub/sub (sharded pub/sub on a cluster) so that every node's
 * watcher and directory cache hear them at once.
 */
@NullMarked
package dev.lintel.redis.shard;

import org.jspecify.annotations.NullMarked;
