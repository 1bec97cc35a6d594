package dev.lintel.core.shard;

/**
 * The score of weighted rendezvous hashing.
 *
 * <p>Rendezvous (highest random weight) hashing, Thaler and Ravishankar (1996): each shard draws a
 * pseudo-random number from the pair (key, shard) and the highest wins, so a key only moves when
 * its winner leaves or a newcomer beats it. Weights use the logarithmic method (Schindelhauer and
 * Schomaker, 2005): with u uniform in (0, 1), {@code -ln(u)} is exponential with rate 1, so {@code
 * -ln(u) / w} is exponential with rate w and the smallest of them, i.e. the highest score {@code w
 * / -ln(u)}, belongs to shard i with probability exactly {@code w_i / sum(w)}.
 *
 * <p>The stored layout: {@code u = ((mix(keyHash ^ XXH64(UTF-8(shardId))) >>> 11) + 0.5) / 2^53},
 * where mix is MurmurHash3's {@code fmix64}; ties (probability 2^-53) go to the smaller shard id.
 */
final class RendezvousScore {
  private RendezvousScore() {}

  /** The seed of a shard: XXH64 of its id's UTF-8 bytes. */
  static long seed(String shardId) {
    return Xxh64.hashUtf8(shardId);
  }

  /** The score of a key for a shard; the highest score wins. Always positive. */
  static double score(long keyHash, long shardSeed, double weight) {
    long mixed = Xxh64.mix(keyHash ^ shardSeed);
    double u = ((mixed >>> 11) + 0.5) * 0x1.0p-53; // in (0, 1), never 0 or 1
    return weight / -Math.log(u);
  }
}
