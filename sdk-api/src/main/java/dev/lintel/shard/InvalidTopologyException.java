package dev.lintel.shard;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a topology, a shard or a strategy is invalid: no shards, a duplicate shard id, a
 * weight that is not positive and finite, ranges that overlap or leave a hole, a region whose
 * fallback chain ends nowhere or loops, a strategy naming a shard the topology does not have, or
 * JSON that is not a topology. The message names the offending shard id, range or region.
 *
 * <p>Topologies are data (read from JSON or a store at run time), so their problems are {@link
 * dev.lintel.LintelException}s rather than {@link IllegalArgumentException}s: a host catches one
 * type for everything that goes wrong with sharding.
 */
public class InvalidTopologyException extends ShardingException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is invalid, naming the shard, range or region
   */
  public InvalidTopologyException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what is invalid, naming the shard, range or region
   * @param cause the underlying failure, for example a JSON parse error
   */
  public InvalidTopologyException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
