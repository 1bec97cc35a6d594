package dev.lintel.core.shard;

import dev.lintel.shard.ShardMove;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The moves between two rings: the points of both rings cut the circle into arcs that each ring
 * gives to one owner (the owner of the arc's last point); arcs whose owner changes move, and
 * neighbouring arcs with the same old and new owner are merged.
 */
final class RingMoves {
  private RingMoves() {}

  static void add(String scope, RingLayout a, RingLayout b, List<ShardMove> moves) {
    long[] cuts = cuts(a, b); // unsigned positions, ascending by unsigned order
    List<ShardMove.HashRange> arcs = new ArrayList<>();
    for (int i = 0; i < cuts.length; i++) {
      long start = cuts[i == 0 ? cuts.length - 1 : i - 1];
      long end = cuts[i];
      String from = a.owner(end);
      String to = b.owner(end);
      if (from.equals(to)) {
        continue;
      }
      ShardMove.HashRange last = arcs.isEmpty() ? null : arcs.get(arcs.size() - 1);
      if (last != null
          && last.endInclusive() == start
          && last.from().equals(from)
          && last.to().equals(to)) {
        arcs.set(
            arcs.size() - 1, new ShardMove.HashRange(scope, last.startExclusive(), end, from, to));
      } else {
        arcs.add(new ShardMove.HashRange(scope, start, end, from, to));
      }
    }
    if (arcs.size() > 1) {
      ShardMove.HashRange first = arcs.get(0);
      ShardMove.HashRange last = arcs.get(arcs.size() - 1);
      if (last.endInclusive() == first.startExclusive()
          && last.from().equals(first.from())
          && last.to().equals(first.to())) {
        arcs.set(
            0,
            new ShardMove.HashRange(
                scope, last.startExclusive(), first.endInclusive(), first.from(), first.to()));
        arcs.remove(arcs.size() - 1);
      }
    }
    moves.addAll(arcs);
  }

  private static long[] cuts(RingLayout a, RingLayout b) {
    long[] cuts = new long[a.size() + b.size()];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.size() || j < b.size()) {
      long next;
      if (j >= b.size()
          || (i < a.size() && Long.compareUnsigned(a.position(i), b.position(j)) <= 0)) {
        next = a.position(i++);
      } else {
        next = b.position(j++);
      }
      if (n == 0 || cuts[n - 1] != next) {
        cuts[n++] = next;
      }
    }
    return Arrays.copyOf(cuts, n);
  }
}
