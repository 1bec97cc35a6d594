package dev.lintel.core.shard;

/**
 * One strategy of a topology, ready to route: the tree of nodes mirrors the tree of strategies.
 * Nodes are immutable; routing with them allocates nothing of its own.
 *
 * @param <K> the key type
 */
interface RouteNode<K> {

  /** The shard id for a non-null key. */
  String route(K key);
}
