package dev.lintel.health;

/**
 * The question a health check answers. A check may belong to both groups.
 *
 * <ul>
 *   <li>{@link #LIVENESS}: is the process able to make progress at all? A failing liveness report
 *       means the process should be restarted.
 *   <li>{@link #READINESS}: should the process receive traffic now? It goes down during start-up,
 *       graceful shutdown and outages of required dependencies.
 * </ul>
 */
public enum HealthGroup {
  /** Whether the process can make progress; failing means restart it. */
  LIVENESS,
  /** Whether the process should receive traffic now. */
  READINESS
}
