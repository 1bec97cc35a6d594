package dev.lintel.core.shard;

import dev.lintel.shard.MovePlan;
import dev.lintel.shard.ShardMove;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Lists exactly what moves between two topologies, as a {@link MovePlan}: every key that the new
 * topology routes to another shard belongs to exactly one move, named in the terms of its strategy.
 *
 * <ul>
 *   <li>Jump: {@link ShardMove.Buckets}, pairs of (old bucket, new bucket). Growing from n to m
 *       buckets moves the keys that land in the new buckets, a share of (m - n) / m, each new
 *       bucket taking 1/(n m) from each old one; shrinking is the reverse; a bucket whose shard id
 *       changed moves whole.
 *   <li>Rendezvous: {@link ShardMove.Weighted}, pairs of (old winner, new winner). When shards are
 *       only added or removed, only keys of removed shards and keys that new shards win move, with
 *       exact shares; when a weight changes, shares are estimated from 65,536 sample hashes.
 *   <li>Ring: {@link ShardMove.HashRange}, the arcs of the hash circle whose owner changed.
 *   <li>Range: {@link ShardMove.Range}, the key ranges whose owner changed.
 *   <li>Geo: the moves of each location's strategy, scoped {@code geo[location]}; {@code geo[*]}
 *       holds the undeclared locations that go to the default.
 *   <li>Directory: the moves of the fallback strategy, scoped {@code directory[name]}. Entries live
 *       in the {@link dev.lintel.shard.ShardDirectory}, not in the topology: list their changes
 *       with {@link #entries}.
 *   <li>Single shard to or from any hash or range strategy: the keys of each target shard.
 * </ul>
 *
 * A change of strategy type elsewhere (jump to ring, say) moves keys in ways this planner does not
 * list; {@link #plan} refuses it with a {@link ShardingException} naming the scope. Stateless and
 * thread-safe.
 */
public final class ShardPlanner {
  private static final int SAMPLES = 65_536;

  private ShardPlanner() {}

  /**
   * Lists what moves from one topology to the next.
   *
   * @param from the topology routing now
   * @param to the topology to switch to
   * @return the plan; empty if every key stays where it is
   * @throws ShardingException if a scope changes strategy type in a way the planner cannot list, or
   *     keys that the old topology routes would have no shard under the new one
   */
  public static MovePlan plan(Topology from, Topology to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    List<ShardMove> moves = new ArrayList<>();
    new Walk(from, to, moves).plan("", from.strategy(), to.strategy());
    return new MovePlan(from.version(), to.version(), moves);
  }

  /**
   * Lists the entries of a directory that change, in key order.
   *
   * @param directory the directory's name, used as the scope {@code directory[name]}
   * @param before the entries now, key to shard id (see {@link
   *     dev.lintel.shard.ShardDirectory#entries()})
   * @param after the entries wanted
   * @return one move per key whose entry is added, changed or removed
   */
  public static List<ShardMove.Entry> entries(
      String directory, Map<String, String> before, Map<String, String> after) {
    String scope = "directory[" + directory + "]";
    TreeSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<ShardMove.Entry> moves = new ArrayList<>();
    for (String key : keys) {
      String old = before.get(key);
      String now = after.get(key);
      if (!Objects.equals(old, now)) {
        moves.add(new ShardMove.Entry(scope, key, old, now));
      }
    }
    return moves;
  }

  /** One planning run: both topologies (for weights) and the moves found so far. */
  private static final class Walk {
    private final Topology from;
    private final Topology to;
    private final List<ShardMove> moves;

    Walk(Topology from, Topology to, List<ShardMove> moves) {
      this.from = from;
      this.to = to;
      this.moves = moves;
    }

    void plan(String scope, ShardStrategy a, ShardStrategy b) {
      if (a.equals(b) && sameWeights(a)) {
        return;
      }
      if (a instanceof ShardStrategy.Single x && b instanceof ShardStrategy.Single y) {
        moves.add(new ShardMove.Weighted(scope, x.shard(), y.shard(), 1.0));
      } else if (a instanceof ShardStrategy.Jump x && b instanceof ShardStrategy.Jump y) {
        JumpMoves.add(scope, x.buckets(), y.buckets(), moves);
      } else if (a instanceof ShardStrategy.Rendezvous x
          && b instanceof ShardStrategy.Rendezvous y) {
        RendezvousMoves.add(scope, x, from, y, to, SAMPLES, moves);
      } else if (a instanceof ShardStrategy.Ring x && b instanceof ShardStrategy.Ring y) {
        RingMoves.add(scope, RingLayout.of(x, from), RingLayout.of(y, to), moves);
      } else if (a instanceof ShardStrategy.Range x
          && b instanceof ShardStrategy.Range y
          && x.keyType() == y.keyType()) {
        RangeMoves.add(scope, x, y, moves);
      } else if (a instanceof ShardStrategy.Geo x && b instanceof ShardStrategy.Geo y) {
        geo(scope, x, y);
      } else if (a instanceof ShardStrategy.Directory x
          && b instanceof ShardStrategy.Directory y
          && x.name().equals(y.name())) {
        directory(scope, x, y);
      } else if (a instanceof ShardStrategy.Single x && Shares.spreadable(b)) {
        Shares.fromSingle(scope, x.shard(), b, to, moves);
      } else if (b instanceof ShardStrategy.Single y && Shares.spreadable(a)) {
        Shares.toSingle(scope, a, from, y.shard(), moves);
      } else {
        throw new ShardingException(
            "cannot plan topology v"
                + from.version()
                + " -> v"
                + to.version()
                + (scope.isEmpty() ? "" : " in scope '" + scope + "'")
                + ": the strategy changes from "
                + describe(a)
                + " to "
                + describe(b)
                + ", which moves keys in ways this planner does not list; copy the scope's keys in"
                + " full instead");
      }
    }

    private void geo(String scope, ShardStrategy.Geo a, ShardStrategy.Geo b) {
      TreeSet<String> names = new TreeSet<>(a.declaredLocations());
      names.addAll(b.declaredLocations());
      for (String name : names) {
        step(child(scope, "geo[" + name + "]"), a.strategyFor(name), b.strategyFor(name), name);
      }
      String defaultA = a.defaultLocation();
      String defaultB = b.defaultLocation();
      step(
          child(scope, "geo[*]"),
          defaultA == null ? null : a.strategyFor(defaultA),
          defaultB == null ? null : b.strategyFor(defaultB),
          "any undeclared location");
    }

    private void directory(String scope, ShardStrategy.Directory a, ShardStrategy.Directory b) {
      step(
          child(scope, "directory[" + a.name() + "]"),
          a.fallback(),
          b.fallback(),
          "keys without an entry in directory '" + a.name() + "'");
    }

    private void step(
        String scope, @Nullable ShardStrategy a, @Nullable ShardStrategy b, String what) {
      if (a == null) {
        return; // those keys had no shard, so no data to move
      }
      if (b == null) {
        throw new ShardingException(
            "cannot plan topology v"
                + from.version()
                + " -> v"
                + to.version()
                + ": "
                + what
                + " routes in v"
                + from.version()
                + " but to no shard in v"
                + to.version()
                + "; its keys would be stranded");
      }
      plan(scope, a, b);
    }

    private boolean sameWeights(ShardStrategy strategy) {
      for (String id : strategy.shardIds()) {
        if (from.shard(id).weight() != to.shard(id).weight()) {
          return false;
        }
      }
      return true;
    }

    private static String child(String scope, String part) {
      return scope.isEmpty() ? part : scope + "/" + part;
    }

    private static String describe(ShardStrategy strategy) {
      return strategy.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
  }
}
