package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.health.HealthCheck;
import java.util.Map;

/**
 * Health checks an auto-configuration adds to the runtime's readiness, by name (for example the
 * JDBC check of the event store's {@code DataSource}).
 *
 * @param checks the checks by name
 */
public record LintelHealthChecks(Map<String, HealthCheck> checks) {

  /**
   * Copies the map.
   *
   * @param checks the checks by name
   */
  public LintelHealthChecks {
    checks = Map.copyOf(checks);
  }
}
