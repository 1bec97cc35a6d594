package dev.lintel.jdbc.shard;

/**
 * The steps of a move between two topologies, in order. The {@link Rebalancer} persists the step it
 * is at (and, within the copy and delete steps, how far each table of each shard got), so that a
 * run killed anywhere resumes at that point; each step can run again without harm.
 */
public enum RebalanceStep {
  /** Create the fence and change tables where missing; start recording writes on the sources. */
  PREPARE,
  /** Copy the moving rows in keyset-paged batches, each batch a short transaction. */
  COPY,
  /** Copy again the keys written since the copy began, until few are left. */
  CATCH_UP,
  /** Refuse writes routed by the old topology on the sources (the short write fence begins). */
  FENCE,
  /** Copy the last written keys: nothing can be written to the moving rows any more. */
  FINAL_CATCH_UP,
  /** Compare row counts and checksums of every moved set on its old and new shard. */
  VERIFY,
  /** Publish the new topology: writers switch (the fence ends for them) and readers follow. */
  SWITCH,
  /** Delete the moved rows from their old shards, after a grace period for stale readers. */
  DELETE,
  /** Stop recording writes on the sources and drop what was recorded. */
  RELEASE,
  /** Nothing left to do. */
  DONE;

  RebalanceStep next() {
    return values()[ordinal() + 1];
  }
}
