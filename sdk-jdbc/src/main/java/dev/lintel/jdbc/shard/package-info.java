/**
 * Running JDBC work on the shards of a {@link dev.lintel.shard.Topology}: on the shard of a key, or
 * scattered to several shards in parallel and gathered with timeouts, a partial-results policy and
 * merge helpers ({@link dev.lintel.jdbc.shard.ShardExecutor}); the topology store and directory in
 * a table ({@link dev.lintel.jdbc.shard.JdbcTopologyStore}, {@link
 * dev.lintel.jdbc.shard.JdbcShardDirectory}); the fenced write path ({@link
 * dev.lintel.jdbc.shard.ShardWriter}) and the resumable {@link dev.lintel.jdbc.shard.Rebalancer}
 * that moves rows when the topology changes; secondary lookups, optionally with values unique
 * across keys ({@link dev.lintel.jdbc.shard.ShardLookup}).
 */
@NullMarked
package dev.lintel.jdbc.shard;

import org.jspecify.annotations.NullMarked;
