package dev.lintel.core.gateway;

import dev.lintel.TimeSource;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free token bucket: {@code capacity} tokens, refilled at {@code perSecond}, on the
 * monotonic clock of a {@link TimeSource}.
 *
 * <p>It keeps one number, the theoretical arrival time of the next request (the generic cell rate
 * algorithm, GCRA), updated by compare-and-set: equivalent to a token bucket's level, exact under
 * any number of threads, and allocation-free. Thread-safe.
 */
public final class TokenBucket {
  private static final long EMPTY = Long.MIN_VALUE;

  /** A bucket a {@link RateLimitFilter} dropped from its map; its users must look up a new one. */
  private static final long RETIRED = Long.MAX_VALUE;

  /** What {@link #acquireUnlessRetired} answers for a retired bucket. */
  static final long RETIRED_SIGNAL = -1;

  private final long intervalNanos;
  private final long burstNanos;
  private final TimeSource timeSource;
  private final AtomicLong arrival = new AtomicLong(EMPTY);

  private TokenBucket(long capacity, double perSecond, TimeSource timeSource) {
    this.intervalNanos = Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / perSecond));
    this.burstNanos = capacity * intervalNanos;
    this.timeSource = timeSource;
  }

  /**
   * A full bucket on the system's clock.
   *
   * @param capacity the most tokens it holds (the burst); positive
   * @param perSecond tokens added per second; positive
   * @return the bucket
   * @throws IllegalArgumentException if a value is not positive
   */
  public static TokenBucket of(long capacity, double perSecond) {
    return of(capacity, perSecond, TimeSource.system());
  }

  /**
   * A full bucket on the given time source's monotonic clock.
   *
   * @param capacity the most tokens it holds (the burst); positive
   * @param perSecond tokens added per second; positive
   * @param timeSource the clock tokens refill by
   * @return the bucket
   * @throws IllegalArgumentException if a value is not positive
   */
  public static TokenBucket of(long capacity, double perSecond, TimeSource timeSource) {
    Objects.requireNonNull(timeSource, "timeSource");
    if (capacity <= 0 || !(perSecond > 0)) {
      throw new IllegalArgumentException(
          "token bucket needs a positive capacity and rate but was " + capacity + ", " + perSecond);
    }
    return new TokenBucket(capacity, perSecond, timeSource);
  }

  /**
   * Takes one token if there is one: one clock read and one compare-and-set, no allocation.
   *
   * @return 0 if taken; otherwise the nanoseconds until one is back (nothing was taken)
   */
  public long tryAcquire() {
    return acquireUnlessRetired(timeSource.nanoTime()); // a bucket of one's own is never retired
  }

  /**
   * Like {@link #tryAcquire()} at a given reading of this bucket's time source, or {@link
   * #RETIRED_SIGNAL} if the bucket was retired. A time a little in the past only makes the answer
   * stricter.
   */
  long acquireUnlessRetired(long now) {
    while (true) {
      long theoretical = arrival.get();
      if (theoretical == RETIRED) {
        return RETIRED_SIGNAL;
      }
      long start = theoretical == EMPTY || theoretical - now < 0 ? now : theoretical;
      long next = start + intervalNanos;
      long ahead = next - now;
      if (ahead > burstNanos) {
        return ahead - burstNanos;
      }
      if (arrival.compareAndSet(theoretical, next)) {
        return 0;
      }
    }
  }

  /**
   * Retires the bucket if it is full at the given time: a full bucket is the same as a new one, so
   * dropping it loses nothing. Atomic with {@link #acquireUnlessRetired}: a token is never taken
   * from a bucket after it was retired.
   */
  boolean retireIfFull(long now) {
    long theoretical = arrival.get();
    boolean full = theoretical == EMPTY || (theoretical != RETIRED && theoretical - now <= 0);
    return full && arrival.compareAndSet(theoretical, RETIRED);
  }
}
