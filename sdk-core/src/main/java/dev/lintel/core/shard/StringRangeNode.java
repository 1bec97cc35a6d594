package dev.lintel.core.shard;

import dev.lintel.shard.ShardStrategy;
import java.util.Arrays;
import java.util.List;

/** String ranges: a binary search over the sorted lower bounds ({@link String#compareTo}). */
final class StringRangeNode<K> implements RouteNode<K> {
  private final ShardKeyCodec<K> codec;
  private final String[] lowers; // the lower bounds of ranges 1..n-1; range 0 is open below
  private final String[] shards;

  StringRangeNode(ShardKeyCodec<K> codec, ShardStrategy.Range range) {
    this.codec = codec;
    List<ShardStrategy.KeyRange> ranges = range.ranges();
    this.lowers = ranges.stream().skip(1).map(ShardStrategy.KeyRange::lower).toArray(String[]::new);
    this.shards = ranges.stream().map(ShardStrategy.KeyRange::shard).toArray(String[]::new);
  }

  @Override
  public String route(K key) {
    int index = Arrays.binarySearch(lowers, codec.rangeString(key));
    return shards[index >= 0 ? index + 1 : -index - 1];
  }
}
