package dev.lintel.health;

import dev.lintel.Registration;
import java.util.Set;

/**
 * Where components and plugins register their health checks. Thread-safe.
 *
 * <p>Check names are unique; a name names the check in every report.
 */
public interface HealthChecks {

  /**
   * Registers a check.
   *
   * @param name a unique, stable name, for example {@code "postgres"} or {@code "plugin:auth"}
   * @param groups the groups whose reports include the check; must not be empty
   * @param check the probe
   * @return a registration that removes the check when closed
   * @throws IllegalArgumentException if the name is blank or already registered, or groups is empty
   */
  Registration register(String name, Set<HealthGroup> groups, HealthCheck check);
}
