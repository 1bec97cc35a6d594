package dev.lintel.core.shard;

import dev.lintel.shard.ShardDirectory;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A directory lookup, then the fallback node for keys without an entry. */
final class DirectoryNode<K> implements RouteNode<K> {
  private final String name;
  private final ShardDirectory directory;
  private final Function<? super K, String> directoryKey;
  private final @Nullable RouteNode<K> fallback;
  private final Topology topology;

  DirectoryNode(
      String name,
      ShardDirectory directory,
      Function<? super K, String> directoryKey,
      @Nullable RouteNode<K> fallback,
      Topology topology) {
    this.name = name;
    this.directory = directory;
    this.directoryKey = directoryKey;
    this.fallback = fallback;
    this.topology = topology;
  }

  @Override
  public String route(K key) {
    String entryKey = directoryKey.apply(key);
    String shard = directory.shardOf(entryKey);
    if (shard != null) {
      if (!topology.hasShard(shard)) {
        throw new ShardingException(
            "directory '"
                + name
                + "' assigns key '"
                + entryKey
                + "' to shard '"
                + shard
                + "', which topology v"
                + topology.version()
                + " does not have");
      }
      return shard;
    }
    if (fallback == null) {
      throw new ShardingException(
          "directory '" + name + "' has no entry for key '" + entryKey + "' and no fallback");
    }
    return fallback.route(key);
  }
}
