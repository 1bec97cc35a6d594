package dev.lintel.core.cache;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Spreads times to live by a random fraction up or down, so that keys written together do not
 * expire together. Never yields less than a millisecond. Thread-safe.
 */
final class TtlJitter {
  private static final long MINIMUM_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final double fraction;

  TtlJitter(double fraction) {
    this.fraction = fraction;
  }

  long apply(long nanos) {
    if (fraction == 0) {
      return nanos;
    }
    double factor = 1 + fraction * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Math.max(MINIMUM_NANOS, (long) (nanos * factor));
  }

  Duration apply(Duration ttl) {
    return Duration.ofNanos(apply(ttl.toNanos()));
  }
}
