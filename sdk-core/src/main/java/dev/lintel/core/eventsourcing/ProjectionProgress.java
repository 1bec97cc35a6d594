package dev.lintel.core.eventsourcing;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How far a projection's replay has come.
 *
 * @param projection the projection's name
 * @param position the position of the last event processed
 * @param target the store's last position when the replay started
 * @param eventsDone events processed since the replay started
 * @param eventsPerSecond the average rate since the replay started
 * @param remaining the estimated time to reach the target, or null while the rate is unknown
 */
public record ProjectionProgress(
    String projection,
    long position,
    long target,
    long eventsDone,
    double eventsPerSecond,
    @Nullable Duration remaining) {

  /**
   * Tells whether the replay has reached the position the store had when it started.
   *
   * @return true once caught up
   */
  public boolean caughtUp() {
    return position >= target;
  }
}
