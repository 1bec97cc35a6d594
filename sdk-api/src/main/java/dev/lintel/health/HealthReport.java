package dev.lintel.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of running the checks of one group: the overall status, the worst of the checks' (UP
 * when there are none), and each check's outcome in name order.
 *
 * @param group the group that was checked
 * @param status the overall status
 * @param checks each check's outcome, sorted by name
 */
public record HealthReport(HealthGroup group, HealthStatus status, List<CheckOutcome> checks) {

  /**
   * Validates and copies the components.
   *
   * @param group the group
   * @param status the overall status
   * @param checks the outcomes
   */
  public HealthReport {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(status, "status");
    checks = List.copyOf(checks);
  }

  /**
   * Finds the outcome of one check.
   *
   * @param name the check's name
   * @return its outcome, or null if the report has no check of that name
   */
  public @Nullable CheckOutcome check(String name) {
    for (CheckOutcome outcome : checks) {
      if (outcome.name().equals(name)) {
        return outcome;
      }
    }
    return null;
  }

  /**
   * The outcome of one check within a report.
   *
   * @param name the check's name
   * @param status its status
   * @param duration how long it ran, or how long the report waited for it before timing out
   * @param detail what the check reported, or the error that made it DOWN; may be null
   */
  public record CheckOutcome(
      String name, HealthStatus status, Duration duration, @Nullable String detail) {

    /**
     * Validates the components.
     *
     * @param name the name
     * @param status the status
     * @param duration the duration
     * @param detail the detail, may be null
     */
    public CheckOutcome {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(duration, "duration");
    }
  }
}
