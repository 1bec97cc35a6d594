package dev.lintel.core.shard;

/** A consistent-hash ring: the key's hash to the owner of the next point. */
final class RingNode<K> implements RouteNode<K> {
  private final ShardKeyCodec<K> codec;
  private final RingLayout layout;

  RingNode(ShardKeyCodec<K> codec, RingLayout layout) {
    this.codec = codec;
    this.layout = layout;
  }

  @Override
  public String route(K key) {
    return layout.owner(codec.hash(key));
  }
}
