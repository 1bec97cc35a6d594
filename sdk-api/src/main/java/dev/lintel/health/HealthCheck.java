package dev.lintel.health;

/**
 * A probe of one component. It is called concurrently with other checks, under a timeout; a check
 * that throws is reported {@link HealthStatus#DOWN} with the exception, and one that does not
 * answer within its timeout is reported DOWN without blocking the report.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Probes the component. Should be quick and must not change state.
   *
   * @return the outcome
   * @throws Exception when the probe fails; reported as DOWN
   */
  Health check() throws Exception;
}
