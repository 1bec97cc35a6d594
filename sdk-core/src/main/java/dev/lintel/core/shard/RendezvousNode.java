package dev.lintel.core.shard;

import dev.lintel.shard.Topology;
import java.util.List;

/** Weighted rendezvous: the shard with the highest {@link RendezvousScore} wins. */
final class RendezvousNode<K> implements RouteNode<K> {
  private final ShardKeyCodec<K> codec;
  private final String[] shards; // sorted by id, so that a tie goes to the smaller id
  private final long[] seeds;
  private final double[] weights;

  RendezvousNode(ShardKeyCodec<K> codec, List<String> shardIds, Topology topology) {
    this.codec = codec;
    this.shards = shardIds.stream().sorted().toArray(String[]::new);
    this.seeds = new long[shards.length];
    this.weights = new double[shards.length];
    for (int i = 0; i < shards.length; i++) {
      seeds[i] = RendezvousScore.seed(shards[i]);
      weights[i] = topology.shard(shards[i]).weight();
    }
  }

  @Override
  public String route(K key) {
    long hash = codec.hash(key);
    int best = 0;
    double bestScore = RendezvousScore.score(hash, seeds[0], weights[0]);
    for (int i = 1; i < shards.length; i++) {
      double score = RendezvousScore.score(hash, seeds[i], weights[i]);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return shards[best];
  }
}
