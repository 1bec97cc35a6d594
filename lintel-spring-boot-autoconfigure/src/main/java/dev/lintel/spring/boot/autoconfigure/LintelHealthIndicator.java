package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.core.Lintel;
import dev.lintel.health.HealthGroup;
import dev.lintel.health.HealthReport;
import dev.lintel.health.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/**
 * One of the runtime's health groups as an Actuator health indicator: UP while the group is UP or
 * DEGRADED (DEGRADED is in the details; the runtime still serves), DOWN otherwise, with each
 * check's status and detail. The readiness indicator is also DOWN as soon as the application
 * refuses traffic (Spring publishes that when graceful shutdown begins), before the runtime itself
 * stops.
 */
final class LintelHealthIndicator extends AbstractHealthIndicator {
  private final Lintel lintel;
  private final HealthGroup group;
  private final @Nullable ApplicationAvailability availability;

  LintelHealthIndicator(
      Lintel lintel, HealthGroup group, @Nullable ApplicationAvailability availability) {
    super("Lintel health check failed");
    this.lintel = lintel;
    this.group = group;
    this.availability = availability;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    HealthReport report = lintel.health().report(group);
    Map<String, Object> checks = new LinkedHashMap<>();
    for (HealthReport.CheckOutcome check : report.checks()) {
      checks.put(
          check.name(),
          check.detail() == null ? check.status().name() : check.status() + ": " + check.detail());
    }
    builder.withDetail("status", report.status().name()).withDetail("checks", checks);
    if (group == HealthGroup.READINESS
        && availability != null
        && availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC) {
      builder.down().withDetail("reason", "the application refuses traffic");
    } else if (report.status() == HealthStatus.DOWN) {
      builder.down();
    } else {
      builder.up();
    }
  }
}
