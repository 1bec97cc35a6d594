package dev.lintel.core.shard;

import dev.lintel.shard.ShardStrategy;
import java.util.Arrays;
import java.util.List;

/** Long ranges: a binary search over the sorted lower bounds. */
final class LongRangeNode<K> implements RouteNode<K> {
  private final ShardKeyCodec<K> codec;
  private final long[] lowers; // the lower bounds of ranges 1..n-1; range 0 is open below
  private final String[] shards;

  LongRangeNode(ShardKeyCodec<K> codec, ShardStrategy.Range range) {
    this.codec = codec;
    List<ShardStrategy.KeyRange> ranges = range.ranges();
    this.lowers = ranges.stream().skip(1).mapToLong(r -> Long.parseLong(r.lower())).toArray();
    this.shards = ranges.stream().map(ShardStrategy.KeyRange::shard).toArray(String[]::new);
  }

  @Override
  public String route(K key) {
    int index = Arrays.binarySearch(lowers, codec.rangeLong(key));
    return shards[index >= 0 ? index + 1 : -index - 1];
  }
}
