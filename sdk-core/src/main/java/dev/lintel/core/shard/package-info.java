/**
 * Shard routing in process: {@link dev.lintel.core.shard.ShardRouters} builds a {@link
 * dev.lintel.shard.ShardRouter} from a {@link dev.lintel.shard.Topology} and a {@link
 * dev.lintel.core.shard.ShardKeyCodec}; {@link dev.lintel.core.shard.ShardPlanner} lists what moves
 * between two topologies; {@link dev.lintel.core.shard.TopologyJson} reads and writes topologies;
 * {@link dev.lintel.core.shard.Xxh64} is the key hash of the stored layout. Directories and
 * topology stores: {@link dev.lintel.core.shard.InMemoryShardDirectory}, {@link
 * dev.lintel.core.shard.CachedShardDirectory}, {@link dev.lintel.core.shard.InMemoryTopologyStore};
 * {@link dev.lintel.core.shard.TopologyWatcher} follows any topology store. {@link
 * dev.lintel.core.shard.ShardedEventStore} puts one event store per shard behind a router.
 */
@NullMarked
package dev.lintel.core.shard;

import org.jspecify.annotations.NullMarked;
