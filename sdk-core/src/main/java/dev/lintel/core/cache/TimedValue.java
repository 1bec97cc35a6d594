package dev.lintel.core.cache;

/**
 * A value in the local level of a cache with early refresh, with what XFetch needs: when it expires
 * on the cache's ticker (jittered), and how long it took to compute (the paper's delta). Without
 * early refresh, values are stored as they are, so a hit follows no extra reference.
 */
final class TimedValue {
  final Object value;
  final long ttlNanos;
  final long expiresAtNanos;
  final long computeNanos;

  TimedValue(Object value, long ttlNanos, long expiresAtNanos, long computeNanos) {
    this.value = value;
    this.ttlNanos = ttlNanos;
    this.expiresAtNanos = expiresAtNanos;
    this.computeNanos = computeNanos;
  }
}
