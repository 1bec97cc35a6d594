package dev.lintel.core.shard;

/**
 * Jump consistent hash: a 64-bit key hash to a bucket in {@code [0, buckets)}.
 *
 * <p>Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014). Think of a key
 * walking from bucket 0 as buckets are added one by one: when bucket j+1 is added, the key jumps to
 * it with probability 1/(j+1), which is exactly what keeps every bucket at 1/n of the keys and
 * moves only 1/n of them when the n-th bucket arrives. Rather than visiting every bucket, the
 * algorithm draws the next bucket the key jumps to directly from a 64-bit linear congruential
 * generator seeded with the key, so it runs in O(ln n) steps with no memory. The constants and the
 * arithmetic are the paper's, bit for bit (and Guava's {@code Hashing.consistentHash(long, int)}
 * gives the same buckets); they are part of the stored layout.
 */
final class JumpHash {
  private static final double TWO_31 = 1L << 31;

  private JumpHash() {}

  /**
   * The bucket of a key hash.
   *
   * @param hash the key's 64-bit hash
   * @param buckets the number of buckets, at least 1
   * @return the bucket, in {@code [0, buckets)}
   */
  static int bucket(long hash, int buckets) {
    long key = hash;
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * (TWO_31 / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }
}
