package dev.lintel;

/**
 * A handle on something registered with a component (a handler, a health check); closing it removes
 * the registration. Closing is idempotent and thread-safe, and removes only what this handle added.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

  /** Removes the registration; does nothing if it was already removed. */
  @Override
  void close();
}
