package dev.lintel.shard;

import java.util.List;

/**
 * What moves from which shard to which when routing switches from one topology to another: every
 * key the new topology routes elsewhere belongs to exactly one {@link ShardMove}, and no key of a
 * move stays. Immutable.
 *
 * @param fromVersion the old topology's version
 * @param toVersion the new topology's version
 * @param moves the moves, in the order of the strategy (by scope, then bucket, arc, shard pair or
 *     range)
 */
public record MovePlan(long fromVersion, long toVersion, List<ShardMove> moves) {

  /** Copies the moves. */
  public MovePlan {
    moves = List.copyOf(moves);
  }

  /**
   * Tells whether nothing moves.
   *
   * @return true if the plan has no moves
   */
  public boolean isEmpty() {
    return moves.isEmpty();
  }

  /**
   * Returns the moves of one kind.
   *
   * @param kind the kind, for example {@code ShardMove.Buckets.class}
   * @param <M> the kind
   * @return the moves of that kind, in plan order
   */
  public <M extends ShardMove> List<M> moves(Class<M> kind) {
    return moves.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
