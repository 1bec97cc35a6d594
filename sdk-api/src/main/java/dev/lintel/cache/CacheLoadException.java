package dev.lintel.cache;

import java.io.Serial;

/**
 * Thrown to every caller waiting for a key when its {@link CacheLoader} fails; the loader's
 * exception is the cause. Nothing is cached, so the next call loads again.
 */
public class CacheLoadException extends CacheException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the namespace and key whose load failed
   * @param cause what the loader threw
   */
  public CacheLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
