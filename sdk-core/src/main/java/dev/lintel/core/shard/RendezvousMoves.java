package dev.lintel.core.shard;

import dev.lintel.shard.ShardMove;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The moves between two rendezvous strategies.
 *
 * <p>With the logarithmic method each shard i draws an exponential time with rate w_i and the
 * earliest wins. When the shards both strategies share keep their weights, the race over the union
 * U of shards decides: if its winner is in both, nobody moves; if it is a removed shard a, the key
 * moves from a to the winner of the new set B, which by memorylessness is b with probability w_b /
 * W_B; if it is an added shard b, the key moves to b from a with probability w_a / W_A. Hence P(a
 * -> b) = [a removed] w_a/W_U w_b/W_B + [b added] w_b/W_U w_a/W_A, exactly. When a shared weight
 * changes, the same draw decides two races with different rates and the shares are estimated by
 * routing a fixed sequence of sample hashes.
 */
final class RendezvousMoves {
  private RendezvousMoves() {}

  static void add(
      String scope,
      ShardStrategy.Rendezvous a,
      Topology from,
      ShardStrategy.Rendezvous b,
      Topology to,
      int samples,
      List<ShardMove> moves) {
    Map<String, Double> wa = weights(a, from);
    Map<String, Double> wb = weights(b, to);
    boolean weightsKept = true;
    for (Map.Entry<String, Double> entry : wa.entrySet()) {
      Double other = wb.get(entry.getKey());
      if (other != null && !other.equals(entry.getValue())) {
        weightsKept = false;
      }
    }
    double[][] shares = weightsKept ? exact(wa, wb) : sampled(a, from, b, to, samples);
    String[] oldIds = wa.keySet().toArray(String[]::new);
    String[] newIds = wb.keySet().toArray(String[]::new);
    for (int i = 0; i < oldIds.length; i++) {
      for (int j = 0; j < newIds.length; j++) {
        if (shares[i][j] > 0 && !oldIds[i].equals(newIds[j])) {
          moves.add(new ShardMove.Weighted(scope, oldIds[i], newIds[j], shares[i][j]));
        }
      }
    }
  }

  private static double[][] exact(Map<String, Double> wa, Map<String, Double> wb) {
    double totalA = sum(wa);
    double totalB = sum(wb);
    Map<String, Double> union = new TreeMap<>(wa);
    union.putAll(wb);
    double totalU = sum(union);
    double[][] shares = new double[wa.size()][wb.size()];
    int i = 0;
    for (Map.Entry<String, Double> a : wa.entrySet()) {
      int j = 0;
      for (Map.Entry<String, Double> b : wb.entrySet()) {
        double share = 0;
        if (!wb.containsKey(a.getKey())) {
          share += a.getValue() / totalU * b.getValue() / totalB;
        }
        if (!wa.containsKey(b.getKey())) {
          share += b.getValue() / totalU * a.getValue() / totalA;
        }
        shares[i][j++] = share;
      }
      i++;
    }
    return shares;
  }

  private static double[][] sampled(
      ShardStrategy.Rendezvous a,
      Topology from,
      ShardStrategy.Rendezvous b,
      Topology to,
      int samples) {
    RendezvousNode<Long> oldNode = new RendezvousNode<>(KeyCodecs.LONGS, a.shards(), from);
    RendezvousNode<Long> newNode = new RendezvousNode<>(KeyCodecs.LONGS, b.shards(), to);
    List<String> oldIds = a.shards().stream().sorted().toList();
    List<String> newIds = b.shards().stream().sorted().toList();
    double[][] shares = new double[oldIds.size()][newIds.size()];
    for (long k = 0; k < samples; k++) {
      Long key = k; // hashed with XXH64 like any long key: a uniform sample of hashes
      int i = oldIds.indexOf(oldNode.route(key));
      int j = newIds.indexOf(newNode.route(key));
      shares[i][j] += 1.0 / samples;
    }
    return shares;
  }

  private static Map<String, Double> weights(ShardStrategy.Rendezvous strategy, Topology topology) {
    Map<String, Double> weights = new TreeMap<>();
    strategy.shards().forEach(id -> weights.put(id, topology.shard(id).weight()));
    return weights;
  }

  private static double sum(Map<String, Double> weights) {
    return weights.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
