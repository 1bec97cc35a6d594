package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.core.flags.Flags;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.micrometer.LintelMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lintel's meters when sdk-micrometer is on the class path and the application has a {@code
 * MeterRegistry} (with Actuator, Spring Boot's): a {@link LintelMetrics} bean, which Spring Boot
 * binds to every registry, over the application's caches, projections, flags and JDBC event store;
 * its timing interceptors on the auto-configured buses; and its wrapper around the event store,
 * which times appends. The runtime owns the binder as a component, so closing the context removes
 * Lintel's meters.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
    },
    before = LintelAutoConfiguration.class)
@ConditionalOnClass({LintelMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "lintel", name = "enabled", matchIfMissing = true)
class LintelMetricsAutoConfiguration {

  /** Creates the configuration; Spring calls it. */
  LintelMetricsAutoConfiguration() {}

  /**
   * The binder over the application's components.
   *
   * @param caches the caches
   * @param projections the projections
   * @param flags the flag evaluators
   * @param jdbc the JDBC event store's counters, when sdk-jdbc is present
   * @return the binder
   */
  @Bean
  @ConditionalOnMissingBean
  LintelMetrics lintelMetrics(
      ObjectProvider<TieredCache<?, ?>> caches,
      ObjectProvider<ProjectionRunner> projections,
      ObjectProvider<Flags> flags,
      ObjectProvider<JdbcStoreMeters> jdbc) {
    LintelMetrics.Builder builder = LintelMetrics.builder();
    caches.orderedStream().forEach(builder::cache);
    projections.orderedStream().forEach(builder::projection);
    flags.ifUnique(builder::flags);
    jdbc.ifUnique(meters -> meters.addTo(builder));
    return builder.build();
  }

  /**
   * The buses' timing interceptors.
   *
   * @param metrics the binder
   * @return the interceptors
   */
  @Bean
  public BusInterceptors lintelTimingInterceptors(LintelMetrics metrics) {
    return new BusInterceptors(metrics.commandTiming(), metrics.queryTiming());
  }

  /**
   * Times the event store's appends.
   *
   * @param metrics the binder
   * @return the decorator
   */
  @Bean
  public EventStoreDecorator lintelMeteredEventStore(LintelMetrics metrics) {
    return metrics::eventStore;
  }

  /** Adds the JDBC event store's own counters, only when sdk-jdbc is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcEventStore.class)
  static class Jdbc {
    @Bean
    JdbcStoreMeters lintelJdbcStoreMeters(ObjectProvider<JdbcEventStore> store) {
      return new JdbcStoreMeters(store);
    }
  }

  /** Hands the JDBC event store, if there is one, to the binder's builder. */
  static final class JdbcStoreMeters {
    private final ObjectProvider<JdbcEventStore> store;

    JdbcStoreMeters(ObjectProvider<JdbcEventStore> store) {
      this.store = store;
    }

    void addTo(LintelMetrics.Builder builder) {
      store.ifUnique(jdbc -> builder.jdbcEventStore("default", jdbc));
    }
  }
}
