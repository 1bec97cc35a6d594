package dev.lintel.core.shard;

import dev.lintel.shard.ShardMove;
import java.util.List;

/**
 * The moves between two jump strategies, from the joint distribution of a key's old and new bucket.
 * Jump hash adds buckets one at a time, a key jumping into bucket j when it is added with
 * probability 1/(j+1) whatever bucket it was in. So, growing from n to m buckets, a key keeps its
 * bucket with probability n/m and otherwise lands in each new bucket with probability 1/m, coming
 * from each old bucket alike: P(old b, new c) = 1/m when b = c < n, 1/(n m) when c >= n. Shrinking
 * is the same walk read backwards.
 */
final class JumpMoves {
  private JumpMoves() {}

  static void add(String scope, List<String> from, List<String> to, List<ShardMove> moves) {
    int n = from.size();
    int m = to.size();
    int min = Math.min(n, m);
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < m; c++) {
        double share;
        if (b < min && c < min) {
          share = b == c ? 1.0 / Math.max(n, m) : 0;
        } else {
          share = 1.0 / ((double) n * m); // b or c beyond the smaller count: a cross move
        }
        if (share > 0 && !from.get(b).equals(to.get(c))) {
          moves.add(new ShardMove.Buckets(scope, b, n, c, m, from.get(b), to.get(c), share));
        }
      }
    }
  }
}
