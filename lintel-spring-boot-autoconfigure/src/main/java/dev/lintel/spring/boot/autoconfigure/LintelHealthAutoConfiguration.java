package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.core.Lintel;
import dev.lintel.health.HealthGroup;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.annotation.Bean;

/**
 * Lintel's health in Actuator: the runtime's readiness checks as the {@code lintel} health
 * component and its liveness checks as {@code lintelLiveness}; with {@code
 * lintel.health.probe-groups} (the default) they also join Actuator's {@code readiness} and {@code
 * liveness} groups ({@code /actuator/health/readiness}). {@code
 * management.health.lintel.enabled=false} turns them off.
 */
@AutoConfiguration(
    after = LintelAutoConfiguration.class,
    afterName =
        "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(Lintel.class)
@ConditionalOnEnabledHealthIndicator("lintel")
class LintelHealthAutoConfiguration {
  /** The readiness component's name. */
  public static final String READINESS = "lintel";

  /** The liveness component's name. */
  public static final String LIVENESS = "lintelLiveness";

  /** Creates the configuration; Spring calls it. */
  LintelHealthAutoConfiguration() {}

  /**
   * The runtime's readiness checks, DOWN once the application refuses traffic.
   *
   * @param lintel the runtime
   * @param availability Spring's availability state, if there is one
   * @return the indicator
   */
  @Bean(name = "lintelHealthIndicator")
  @ConditionalOnMissingBean(name = "lintelHealthIndicator")
  public HealthIndicator lintelHealthIndicator(
      Lintel lintel, ObjectProvider<ApplicationAvailability> availability) {
    return new LintelHealthIndicator(lintel, HealthGroup.READINESS, availability.getIfAvailable());
  }

  /**
   * The runtime's liveness checks.
   *
   * @param lintel the runtime
   * @param availability Spring's availability state, if there is one
   * @return the indicator
   */
  @Bean(name = "lintelLivenessHealthIndicator")
  @ConditionalOnMissingBean(name = "lintelLivenessHealthIndicator")
  public HealthIndicator lintelLivenessHealthIndicator(
      Lintel lintel, ObjectProvider<ApplicationAvailability> availability) {
    return new LintelHealthIndicator(lintel, HealthGroup.LIVENESS, availability.getIfAvailable());
  }

  /**
   * Adds the two components to the {@code readiness} and {@code liveness} groups.
   *
   * @return the post-processor
   */
  @Bean
  @ConditionalOnProperty(prefix = "lintel.health", name = "probe-groups", matchIfMissing = true)
  public HealthEndpointGroupsPostProcessor lintelProbeGroups() {
    return groups -> ProbeGroups.withLintel(groups, READINESS, LIVENESS);
  }
}
