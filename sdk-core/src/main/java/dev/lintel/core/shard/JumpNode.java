package dev.lintel.core.shard;

import java.util.List;

/** Jump consistent hash over the key's hash, then bucket to shard id. */
final class JumpNode<K> implements RouteNode<K> {
  private final ShardKeyCodec<K> codec;
  private final String[] buckets;

  JumpNode(ShardKeyCodec<K> codec, List<String> buckets) {
    this.codec = codec;
    this.buckets = buckets.toArray(String[]::new);
  }

  @Override
  public String route(K key) {
    return buckets[JumpHash.bucket(codec.hash(key), buckets.length)];
  }
}
