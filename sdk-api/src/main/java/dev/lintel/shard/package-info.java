/**
 * Sharding contracts: a {@link dev.lintel.shard.ShardRouter} maps a key to the id of the shard that
 * owns it, following an immutable, versioned {@link dev.lintel.shard.Topology} whose {@link
 * dev.lintel.shard.ShardStrategy} says how (jump consistent hash, weighted rendezvous, a ring with
 * virtual nodes, ranges, locations with fallbacks, an explicit directory, or a nesting of these). A
 * {@link dev.lintel.shard.MovePlan} lists what moves between two topologies. {@link
 * dev.lintel.shard.ShardDirectory} and {@link dev.lintel.shard.TopologyStore} are the SPIs that
 * stores implement.
 *
 * <p>Errors: every invalid topology (no shards, a duplicate id, a weight that is not positive,
 * overlapping or missing ranges, a region without a fallback, unknown JSON) is refused when it is
 * built or read, with an {@link dev.lintel.shard.InvalidTopologyException} naming the shard, range
 * or region. A key that cannot be routed at run time (no location, no directory entry and no
 * fallback) raises a {@link dev.lintel.shard.ShardingException}. Both are {@link
 * dev.lintel.LintelException}s. A null key is a caller's mistake: {@link IllegalArgumentException}.
 */
@NullMarked
package dev.lintel.shard;

import org.jspecify.annotations.NullMarked;
