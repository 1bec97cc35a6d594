package dev.lintel.shard;

import org.jspecify.annotations.Nullable;

/**
 * The SPI of a place that keeps the current {@link Topology}, shared by every node that routes.
 * Versions only grow: publishing a version that is not above the current one is refused, so two
 * nodes racing to publish cannot overwrite each other silently. Implementations are thread-safe.
 */
public interface TopologyStore {

  /**
   * Reads the current topology.
   *
   * @return the topology with the highest version published, or null if none was
   * @throws dev.lintel.LintelException if the store cannot be read
   */
  @Nullable Topology current();

  /**
   * Publishes a new topology.
   *
   * @param topology the topology; its version must be above the current one's
   * @throws ShardingException if a topology with the same or a higher version is already current;
   *     the message names both versions
   */
  void publish(Topology topology);
}
