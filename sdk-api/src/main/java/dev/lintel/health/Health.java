package dev.lintel.health;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one health check: a status and an optional human-readable detail.
 *
 * @param status the status
 * @param detail what the check found, for example an error or the state of a breaker; may be null
 */
public record Health(HealthStatus status, @Nullable String detail) {

  private static final Health UP = new Health(HealthStatus.UP, null);

  /**
   * Validates the components.
   *
   * @param status the status
   * @param detail the detail, may be null
   */
  public Health {
    Objects.requireNonNull(status, "status");
  }

  /**
   * Reports a working component.
   *
   * @return an {@link HealthStatus#UP} outcome without detail
   */
  public static Health up() {
    return UP;
  }

  /**
   * Reports a working component with a detail.
   *
   * @param detail what the check found
   * @return an {@link HealthStatus#UP} outcome
   */
  public static Health up(String detail) {
    return new Health(HealthStatus.UP, detail);
  }

  /**
   * Reports a component working with reduced capability.
   *
   * @param detail what is reduced and why
   * @return a {@link HealthStatus#DEGRADED} outcome
   */
  public static Health degraded(String detail) {
    return new Health(HealthStatus.DEGRADED, detail);
  }

  /**
   * Reports a component that does not work.
   *
   * @param detail what is wrong
   * @return a {@link HealthStatus#DOWN} outcome
   */
  public static Health down(String detail) {
    return new Health(HealthStatus.DOWN, detail);
  }
}
