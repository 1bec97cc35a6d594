package dev.lintel.shard;

import dev.lintel.LintelException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when sharding cannot do what was asked: a key that no shard owns (an unknown location
 * without a default, a key absent from a directory without a fallback), a plan between two
 * topologies that cannot be listed, a stale topology published to a store. Its subclass {@link
 * InvalidTopologyException} is thrown for topologies that are invalid in themselves.
 */
public class ShardingException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the topology version, shard, range or location
   */
  public ShardingException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, naming the topology version, shard, range or location
   * @param cause the underlying failure
   */
  public ShardingException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
