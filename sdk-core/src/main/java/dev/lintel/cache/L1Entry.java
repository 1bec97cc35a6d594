package dev.lintel.cache;

import org.jspecify.annotations.Nullable;

/**
 * A value in the local level with what expiry and early refresh need: its jittered time to live,
 * when it expires on the cache's ticker, and how long it took to compute (XFetch's delta).
 */
final class L1Entry {
  /** Stands for a remembered absence (the loader returned null). */
  static final Object ABSENT = new Object();

  final Object value;
  final long ttlNanos;
  final long expiresAtNanos;
  final long computeNanos;

  L1Entry(Object value, long ttlNanos, long expiresAtNanos, long computeNanos) {
    this.value = value;
    this.ttlNanos = ttlNanos;
    this.expiresAtNanos = expiresAtNanos;
    this.computeNanos = computeNanos;
  }

  @SuppressWarnings("unchecked")
  <V> @Nullable V value() {
    return value == ABSENT ? null : (V) value;
  }
}
