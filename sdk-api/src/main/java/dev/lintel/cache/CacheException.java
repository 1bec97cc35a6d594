package dev.lintel.cache;

import dev.lintel.LintelException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a cache operation fails for a reason the caller must see: a value that cannot be
 * encoded, a writer that fails under write-through, a full write-behind queue. Failures of the
 * shared level (Redis down or slow) are never thrown: the cache degrades to its local level and the
 * loader instead.
 */
public class CacheException extends LintelException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the namespace and key
   * @param cause the underlying failure, if any
   */
  public CacheException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
