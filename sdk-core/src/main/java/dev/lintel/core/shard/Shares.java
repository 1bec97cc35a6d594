package dev.lintel.core.shard;

import dev.lintel.shard.ShardMove;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Moves between one shard and a strategy that spreads keys (hash or range): every key in the scope
 * changes between the single shard and the shard the other strategy gives it, so the moves are that
 * strategy's distribution.
 */
final class Shares {
  private Shares() {}

  static boolean spreadable(ShardStrategy strategy) {
    return strategy instanceof ShardStrategy.Jump
        || strategy instanceof ShardStrategy.Rendezvous
        || strategy instanceof ShardStrategy.Ring
        || strategy instanceof ShardStrategy.Range;
  }

  static void fromSingle(
      String scope, String shard, ShardStrategy to, Topology topology, List<ShardMove> moves) {
    if (to instanceof ShardStrategy.Range range) {
      for (ShardStrategy.KeyRange keyRange : range.ranges()) {
        if (!keyRange.shard().equals(shard)) {
          moves.add(
              new ShardMove.Range(
                  scope,
                  range.keyType(),
                  keyRange.lower(),
                  keyRange.upper(),
                  shard,
                  keyRange.shard()));
        }
      }
      return;
    }
    shares(to, topology)
        .forEach(
            (id, share) -> {
              if (!id.equals(shard)) {
                moves.add(new ShardMove.Weighted(scope, shard, id, share));
              }
            });
  }

  static void toSingle(
      String scope, ShardStrategy from, Topology topology, String shard, List<ShardMove> moves) {
    if (from instanceof ShardStrategy.Range range) {
      for (ShardStrategy.KeyRange keyRange : range.ranges()) {
        if (!keyRange.shard().equals(shard)) {
          moves.add(
              new ShardMove.Range(
                  scope,
                  range.keyType(),
                  keyRange.lower(),
                  keyRange.upper(),
                  keyRange.shard(),
                  shard));
        }
      }
      return;
    }
    shares(from, topology)
        .forEach(
            (id, share) -> {
              if (!id.equals(shard)) {
                moves.add(new ShardMove.Weighted(scope, id, shard, share));
              }
            });
  }

  /** Each shard's expected share of the keys of a hash strategy. */
  private static Map<String, Double> shares(ShardStrategy strategy, Topology topology) {
    Map<String, Double> shares = new TreeMap<>();
    if (strategy instanceof ShardStrategy.Jump jump) {
      jump.buckets().forEach(id -> shares.merge(id, 1.0 / jump.buckets().size(), Double::sum));
    } else if (strategy instanceof ShardStrategy.Rendezvous rendezvous) {
      double total =
          rendezvous.shards().stream().mapToDouble(id -> topology.shard(id).weight()).sum();
      rendezvous.shards().forEach(id -> shares.put(id, topology.shard(id).weight() / total));
    } else {
      RingLayout ring = RingLayout.of((ShardStrategy.Ring) strategy, topology);
      for (int i = 0; i < ring.size(); i++) {
        long start = ring.position(i == 0 ? ring.size() - 1 : i - 1);
        shares.merge(ring.ownerAt(i), RingLayout.arcShare(start, ring.position(i)), Double::sum);
      }
    }
    return shares;
  }
}
