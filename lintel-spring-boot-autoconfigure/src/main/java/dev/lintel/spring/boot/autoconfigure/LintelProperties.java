package dev.lintel.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the auto-configured Lintel runtime, under the {@code lintel} prefix. Immutable; bound
 * once at startup.
 *
 * @param enabled Whether to configure Lintel at all.
 * @param shutdownTimeout How long graceful shutdown waits for commands and queries in flight.
 * @param healthTimeout How long one health check may take.
 * @param plugins Where plugins come from.
 * @param eventStore The JDBC event store on the application's 'DataSource'.
 * @param redis The Redis server for the flag store and the cache's shared level.
 * @param health How health reaches Actuator.
 */
@ConfigurationProperties(prefix = "lintel")
public record LintelProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("30s") Duration shutdownTimeout,
    @DefaultValue("5s") Duration healthTimeout,
    @DefaultValue Plugins plugins,
    @DefaultValue EventStore eventStore,
    @DefaultValue Redis redis,
    @DefaultValue Health health) {

  /**
   * Plugin discovery.
   *
   * @param enabled Whether to load plugins at all.
   * @param classpath Whether to load the plugins 'ServiceLoader' finds on the class path.
   * @param directory A directory of plugin jars, each loaded in its own class loader; none if
   *     unset.
   */
  public record Plugins(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("true") boolean classpath,
      @Nullable Path directory) {}

  /**
   * The JDBC event store, configured when sdk-jdbc and a {@code DataSource} are present.
   *
   * @param enabled Whether to use the 'DataSource' for the event store.
   * @param createSchema Whether to create the tables at startup when they are missing.
   * @param tablePrefix The prefix of the store's tables; the store's default if unset.
   */
  public record EventStore(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("true") boolean createSchema,
      @Nullable String tablePrefix) {}

  /**
   * Redis, used when sdk-redis is present and a URI is set.
   *
   * @param uri The Redis server, for example 'redis://127.0.0.1:6379'; Redis is not used if unset.
   *     With 'cluster', a seed node of the Redis Cluster.
   * @param flagPrefix The prefix of the flag store's keys.
   * @param cluster Whether the URI names a node of a Redis Cluster (sharded pub/sub, failover-safe
   *     invalidations) rather than a standalone Redis.
   */
  public record Redis(
      @Nullable String uri,
      @DefaultValue("lintel:") String flagPrefix,
      @DefaultValue("false") boolean cluster) {}

  /**
   * Actuator health.
   *
   * @param probeGroups Whether to add Lintel's readiness and liveness checks to Actuator's
   *     'readiness' and 'liveness' groups.
   */
  public record Health(@DefaultValue("true") boolean probeGroups) {}
}
