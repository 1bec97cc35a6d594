package dev.lintel.testing;

import dev.lintel.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} that moves only when a test says so: both clocks advance together by {@link
 * #advance}. Thread-safe.
 */
public final class ManualTimeSource implements TimeSource {
  private final Instant origin;
  private final AtomicLong elapsedNanos = new AtomicLong();

  private ManualTimeSource(Instant origin) {
    this.origin = origin;
  }

  /**
   * Creates a time source whose wall clock starts at the given instant.
   *
   * @param origin the wall-clock time now
   * @return the time source
   */
  public static ManualTimeSource startingAt(Instant origin) {
    return new ManualTimeSource(origin);
  }

  /**
   * Creates a time source whose wall clock starts at 2026-01-01T00:00:00Z.
   *
   * @return the time source
   */
  public static ManualTimeSource create() {
    return startingAt(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves both clocks forward.
   *
   * @param duration how far; not negative
   * @return this time source
   * @throws IllegalArgumentException if the duration is negative
   */
  public ManualTimeSource advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward, but was " + duration);
    }
    elapsedNanos.addAndGet(duration.toNanos());
    return this;
  }

  @Override
  public long nanoTime() {
    return elapsedNanos.get();
  }

  @Override
  public Instant now() {
    return origin.plusNanos(elapsedNanos.get());
  }
}
