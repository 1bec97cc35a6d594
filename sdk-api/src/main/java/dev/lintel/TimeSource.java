package dev.lintel;

import java.time.Instant;

/**
 * The time every Lintel component reads: a monotonic nanosecond counter for durations, timeouts,
 * expiry and rates, and a wall clock for timestamps and token lifetimes. Components take one in
 * their builder ({@code timeSource(...)}) and default to {@link #system()}, so a test moves time
 * instead of sleeping.
 *
 * <p>Implementations must be thread-safe and cheap: {@link #nanoTime()} sits on hot paths such as a
 * cache hit. {@link #nanoTime()} never goes backwards and, like {@link System#nanoTime()}, has no
 * relation to the wall clock; only differences between two readings mean anything.
 */
public interface TimeSource {

  /**
   * Reads the monotonic counter.
   *
   * @return nanoseconds since an arbitrary, fixed origin
   */
  long nanoTime();

  /**
   * Reads the wall clock.
   *
   * @return the current instant
   */
  Instant now();

  /**
   * Returns the system's time: {@link System#nanoTime()} and {@link Instant#now()}.
   *
   * @return the system time source, a singleton
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
