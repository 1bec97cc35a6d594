package dev.lintel.jdbc.shard;

import dev.lintel.shard.ShardingException;
import java.io.Serial;

/**
 * Thrown by a scatter-gather call that does not accept partial results when a shard failed or did
 * not answer in time. It names those shards and carries what the others answered.
 */
public final class ScatterException extends ShardingException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient ScatterResult<?> partial;

  ScatterException(String query, ScatterResult<?> partial) {
    super(
        "Scatter query '"
            + query
            + "' is incomplete: "
            + (partial.failures().isEmpty() ? "" : "failed on " + partial.failures().keySet() + " ")
            + (partial.timedOut().isEmpty() ? "" : "timed out on " + partial.timedOut() + " ")
            + "(answered: "
            + partial.answers().keySet()
            + "); allow partial results to use them",
        partial.failures().values().stream().findFirst().orElse(null));
    this.partial = partial;
  }

  /**
   * Gives what the shards that answered returned, and which did not.
   *
   * @return the partial result
   */
  public ScatterResult<?> partial() {
    return partial;
  }
}
