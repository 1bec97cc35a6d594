package dev.lintel.core.shard;

import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.Topology;

/** The router {@link ShardRouters} builds: a null check in front of the node tree. */
final class TopologyRouter<K> implements ShardRouter<K> {
  private final Topology topology;
  private final RouteNode<K> root;

  TopologyRouter(Topology topology, RouteNode<K> root) {
    this.topology = topology;
    this.root = root;
  }

  @Override
  public String route(K key) {
    if (key == null) {
      throw new IllegalArgumentException(
          "cannot route a null key (topology v" + topology.version() + ")");
    }
    return root.route(key);
  }

  @Override
  public Topology topology() {
    return topology;
  }

  @Override
  public String toString() {
    return "ShardRouter[" + topology + "]";
  }
}
