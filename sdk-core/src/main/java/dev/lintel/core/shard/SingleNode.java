package dev.lintel.core.shard;

/** Routes every key to one shard. */
final class SingleNode<K> implements RouteNode<K> {
  private final String shard;

  SingleNode(String shard) {
    this.shard = shard;
  }

  @Override
  public String route(K key) {
    return shard;
  }
}
