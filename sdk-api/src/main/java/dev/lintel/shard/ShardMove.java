package dev.lintel.shard;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of a {@link MovePlan}: a set of keys that a new topology routes to another shard than
 * the old one did. Each kind names its keys exactly, in the terms of its strategy: jump buckets,
 * arcs of the ring's hash circle, rendezvous winners, key ranges, directory entries.
 *
 * <p>The scope says which part of a nested strategy the move belongs to: {@code ""} for the root,
 * {@code "geo[eu]"} for keys located in {@code eu}, {@code "geo[eu]/directory[tenants]"} for keys
 * of that location without a directory entry. A share is a fraction of the keys in the scope,
 * assuming hashes are uniform. Every move is an immutable record.
 */
public sealed interface ShardMove
    permits ShardMove.Buckets,
        ShardMove.HashRange,
        ShardMove.Weighted,
        ShardMove.Range,
        ShardMove.Entry {

  /**
   * Returns the part of the strategy the moving keys belong to.
   *
   * @return the scope, {@code ""} for the whole keyspace
   */
  String scope();

  /**
   * Jump hash: the keys in bucket {@code fromBucket} of {@code fromBuckets} that land in bucket
   * {@code toBucket} of {@code toBuckets}. Exact: a key is in this set when {@code jump(hash,
   * fromBuckets) == fromBucket} and {@code jump(hash, toBuckets) == toBucket}.
   *
   * @param scope the scope
   * @param fromBucket the old bucket
   * @param fromBuckets the old number of buckets
   * @param toBucket the new bucket
   * @param toBuckets the new number of buckets
   * @param from the old shard
   * @param to the new shard
   * @param share the expected fraction of the scope's keys in this set
   */
  record Buckets(
      String scope,
      int fromBucket,
      int fromBuckets,
      int toBucket,
      int toBuckets,
      String from,
      String to,
      double share)
      implements ShardMove {}

  /**
   * Ring: the keys whose hash, read as an unsigned 64-bit number, lies on the arc after {@code
   * startExclusive} up to and including {@code endInclusive}, going up and wrapping past 2^64 - 1
   * to 0 when the start is above the end.
   *
   * @param scope the scope
   * @param startExclusive the hash just before the arc
   * @param endInclusive the last hash of the arc
   * @param from the old shard
   * @param to the new shard
   */
  record HashRange(String scope, long startExclusive, long endInclusive, String from, String to)
      implements ShardMove {

    /**
     * Tells whether a key hash lies on the arc.
     *
     * @param hash the key's 64-bit hash
     * @return true if the key is in this move
     */
    public boolean contains(long hash) {
      if (Long.compareUnsigned(startExclusive, endInclusive) < 0) {
        return Long.compareUnsigned(hash, startExclusive) > 0
            && Long.compareUnsigned(hash, endInclusive) <= 0;
      }
      return Long.compareUnsigned(hash, startExclusive) > 0
          || Long.compareUnsigned(hash, endInclusive) <= 0;
    }

    /**
     * Returns the arc's length as a fraction of the circle.
     *
     * @return the expected fraction of the scope's keys on this arc
     */
    public double share() {
      long length = endInclusive - startExclusive; // mod 2^64
      double share = (length >>> 1) * 0x1.0p-63 + (length & 1) * 0x1.0p-64;
      return share == 0 ? 1 : share; // start == end: the whole circle
    }
  }

  /**
   * Rendezvous, or a scope changing between one shard and a distribution: the keys for which {@code
   * from} wins under the old topology and {@code to} wins under the new one.
   *
   * @param scope the scope
   * @param from the old shard
   * @param to the new shard
   * @param share the expected fraction of the scope's keys in this set; exact when shards are only
   *     added or removed, estimated from 65,536 sample hashes when a weight changed
   */
  record Weighted(String scope, String from, String to, double share) implements ShardMove {}

  /**
   * Range: the keys from {@code lower} (inclusive) to {@code upper} (exclusive); a null bound is
   * open.
   *
   * @param scope the scope
   * @param keyType how the bounds are read and ordered
   * @param lower the inclusive lower bound, or null
   * @param upper the exclusive upper bound, or null
   * @param from the old shard
   * @param to the new shard
   */
  record Range(
      String scope,
      RangeKeyType keyType,
      @Nullable String lower,
      @Nullable String upper,
      String from,
      String to)
      implements ShardMove {}

  /**
   * Directory: one key whose entry changed. A null shard means the key had (or will have) no entry,
   * so the directory's fallback strategy routes it.
   *
   * @param scope the scope, naming the directory
   * @param key the key's string form
   * @param from the shard of the old entry, or null if there was none
   * @param to the shard of the new entry, or null if it was removed
   */
  record Entry(String scope, String key, @Nullable String from, @Nullable String to)
      implements ShardMove {
    /**
     * Checks that the entry changed.
     *
     * @throws IllegalArgumentException if both shards are the same
     */
    public Entry {
      if (Objects.equals(from, to)) {
        throw new IllegalArgumentException("entry '" + key + "' does not move: " + from);
      }
    }
  }
}
