package dev.lintel.core.shard;

import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.ShardMove;
import dev.lintel.shard.ShardStrategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The moves between two range strategies of one key type: the boundaries of both cut the keys into
 * intervals that each strategy gives to one shard; intervals whose shard changes move, and
 * neighbouring intervals with the same old and new shard are merged.
 */
final class RangeMoves {
  private RangeMoves() {}

  static void add(
      String scope, ShardStrategy.Range a, ShardStrategy.Range b, List<ShardMove> moves) {
    RangeKeyType type = a.keyType();
    Comparator<String> order = comparator(type);
    List<String> cuts = new ArrayList<>();
    for (ShardStrategy.Range strategy : List.of(a, b)) {
      for (ShardStrategy.KeyRange range : strategy.ranges()) {
        if (range.lower() != null) {
          cuts.add(range.lower());
        }
      }
    }
    cuts.sort(order);
    List<ShardMove.Range> found = new ArrayList<>();
    for (int i = 0; i <= cuts.size(); i++) {
      String lower = i == 0 ? null : cuts.get(i - 1);
      String upper = i == cuts.size() ? null : cuts.get(i);
      if (lower != null && upper != null && order.compare(lower, upper) == 0) {
        continue; // a boundary both strategies share
      }
      String from = owner(a, lower, order);
      String to = owner(b, lower, order);
      if (from.equals(to)) {
        continue;
      }
      ShardMove.Range last = found.isEmpty() ? null : found.get(found.size() - 1);
      if (last != null
          && Objects.equals(last.upper(), lower)
          && last.from().equals(from)
          && last.to().equals(to)) {
        found.set(
            found.size() - 1, new ShardMove.Range(scope, type, last.lower(), upper, from, to));
      } else {
        found.add(new ShardMove.Range(scope, type, lower, upper, from, to));
      }
    }
    moves.addAll(found);
  }

  /** The shard of the range holding {@code lower} (the smallest key when null). */
  static String owner(
      ShardStrategy.Range strategy, @Nullable String lower, Comparator<String> order) {
    String owner = strategy.ranges().get(0).shard();
    if (lower == null) {
      return owner;
    }
    for (ShardStrategy.KeyRange range : strategy.ranges()) {
      if (range.lower() != null && order.compare(range.lower(), lower) > 0) {
        break;
      }
      owner = range.shard();
    }
    return owner;
  }

  static Comparator<String> comparator(RangeKeyType type) {
    return type == RangeKeyType.LONG
        ? Comparator.comparingLong(Long::parseLong)
        : Comparator.naturalOrder();
  }
}
