package dev.lintel.health;

/**
 * How healthy something is, from best to worst. A report's status is the worst of its checks.
 *
 * <ul>
 *   <li>{@link #UP}: working normally.
 *   <li>{@link #DEGRADED}: working with reduced capability (a cache serving without its Redis
 *       layer, a circuit breaker open); traffic should keep flowing.
 *   <li>{@link #DOWN}: not working.
 * </ul>
 */
public enum HealthStatus {
  /** Working normally. */
  UP,
  /** Working with reduced capability. */
  DEGRADED,
  /** Not working. */
  DOWN;

  /**
   * Returns the worse of two statuses.
   *
   * @param other the other status
   * @return {@code other} if it is worse than this one, otherwise this one
   */
  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
