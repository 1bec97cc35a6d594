package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.Lifecycle;
import dev.lintel.core.Lintel;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.cqrs.LocalQueryBus;
import dev.lintel.core.eventsourcing.InMemoryEventStore;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.core.plugin.PluginManager;
import dev.lintel.eventsourcing.CheckpointStore;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.flags.FlagStore;
import dev.lintel.health.HealthCheck;
import dev.lintel.health.HealthGroup;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Configures a {@link Lintel} runtime from the application's beans: the buses (timed when {@code
 * sdk-micrometer} and a meter registry are present), the event store and checkpoint store when
 * there are such beans (the JDBC ones on the application's {@code DataSource}, configured by {@link
 * LintelJdbcAutoConfiguration}), every {@link TieredCache} and {@link ProjectionRunner} bean, other
 * {@link Lifecycle} beans, plugins, flags, and handlers found on beans.
 *
 * <p>The runtime starts and stops with the application context ({@link LintelLifecycle}); its own
 * JVM shutdown hook stays off, so graceful shutdown is Spring's. Every bean backs off when the
 * application defines its own of the same type; {@code lintel.enabled=false} turns everything off.
 */
@AutoConfiguration(
    afterName = {
      "dev.lintel.spring.boot.autoconfigure.LintelJdbcAutoConfiguration",
      "dev.lintel.spring.boot.autoconfigure.LintelRedisAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "lintel", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(LintelProperties.class)
public class LintelAutoConfiguration {

  /** Creates the configuration; Spring calls it. */
  public LintelAutoConfiguration() {}

  /**
   * The command bus, with the metrics interceptor when {@code LintelMetrics} is a bean.
   *
   * @param interceptors the interceptors contributed by other auto-configurations
   * @return the bus
   */
  @Bean
  @ConditionalOnMissingBean
  public LocalCommandBus lintelCommandBus(ObjectProvider<BusInterceptors> interceptors) {
    LocalCommandBus.Builder builder = LocalCommandBus.builder();
    interceptors.orderedStream().forEach(i -> builder.interceptor(i.commands()));
    return builder.build();
  }

  /**
   * The query bus, with the metrics interceptor when {@code LintelMetrics} is a bean.
   *
   * @param interceptors the interceptors contributed by other auto-configurations
   * @return the bus
   */
  @Bean
  @ConditionalOnMissingBean
  public LocalQueryBus lintelQueryBus(ObjectProvider<BusInterceptors> interceptors) {
    LocalQueryBus.Builder builder = LocalQueryBus.builder();
    interceptors.orderedStream().forEach(i -> builder.interceptor(i.queries()));
    return builder.build();
  }

  /**
   * The flag store: in memory unless Redis or the application provides one.
   *
   * @return the store
   */
  @Bean
  @ConditionalOnMissingBean
  public FlagStore lintelFlagStore() {
    return new InMemoryFlagStore();
  }

  /**
   * The flag evaluator over the flag store.
   *
   * @param store the flag store
   * @return the evaluator; closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Flags lintelFlags(FlagStore store) {
    return Flags.using(store);
  }

  /**
   * The plugins: those {@code ServiceLoader} finds on the class path, and those in {@code
   * lintel.plugins.directory}.
   *
   * @param properties the settings
   * @return the plugin manager; the runtime starts and stops it
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "lintel.plugins", name = "enabled", matchIfMissing = true)
  public PluginManager lintelPlugins(LintelProperties properties) {
    PluginManager.Builder builder = PluginManager.builder();
    if (properties.plugins().classpath()) {
      builder.classpath();
    }
    Path directory = properties.plugins().directory();
    if (directory != null) {
      builder.directory(directory);
    }
    return builder.build();
  }

  /**
   * The runtime, built from the beans above and the application's. Not started here: {@link
   * LintelLifecycle} starts it with the context.
   *
   * @param properties the settings
   * @param commands the command bus
   * @param queries the query bus
   * @param eventStore the event store bean; in memory if there is none
   * @param checkpoints the checkpoint store bean, if any
   * @param plugins the plugin manager, if any
   * @param caches the caches to close on shutdown and report in readiness
   * @param projections the projections to run
   * @param components other components whose lifecycle the runtime owns
   * @param healthChecks named health checks for the runtime's readiness
   * @param storeDecorators wrap the event store, for example with metrics
   * @return the runtime
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Lintel lintel(
      LintelProperties properties,
      LocalCommandBus commands,
      LocalQueryBus queries,
      ObjectProvider<EventStore> eventStore,
      ObjectProvider<CheckpointStore> checkpoints,
      ObjectProvider<PluginManager> plugins,
      ObjectProvider<TieredCache<?, ?>> caches,
      ObjectProvider<ProjectionRunner> projections,
      ObjectProvider<Lifecycle> components,
      ObjectProvider<LintelHealthChecks> healthChecks,
      ObjectProvider<EventStoreDecorator> storeDecorators) {
    Lintel.Builder builder =
        Lintel.builder()
            .commandBus(commands)
            .queryBus(queries)
            .shutdownTimeout(properties.shutdownTimeout())
            .healthTimeout(properties.healthTimeout())
            .shutdownHook(false);
    // Without an event store bean, the runtime's own default (in memory, class names as types),
    // made here so that decorators such as metrics apply to it as well.
    EventStore store =
        eventStore.getIfUnique(
            () ->
                InMemoryEventStore.create(
                    JacksonEventSerializer.builder().classNamesForUnregisteredTypes().build()));
    for (EventStoreDecorator decorator : storeDecorators.orderedStream().toList()) {
      store = decorator.decorate(store);
    }
    builder.eventStore(store);
    checkpoints.ifUnique(builder::checkpointStore);
    plugins.ifUnique(builder::plugins);
    caches.orderedStream().forEach(builder::cache);
    projections.orderedStream().forEach(builder::projection);
    components
        .orderedStream()
        .filter(c -> !(c instanceof TieredCache<?, ?>) && !(c instanceof ProjectionRunner))
        .forEach(builder::component);
    Lintel lintel = builder.build();
    healthChecks
        .orderedStream()
        .forEach(
            checks -> {
              for (Map.Entry<String, HealthCheck> check : checks.checks().entrySet()) {
                lintel
                    .health()
                    .register(check.getKey(), Set.of(HealthGroup.READINESS), check.getValue());
              }
            });
    return lintel;
  }

  /**
   * Registers the handlers found on beans once every singleton exists.
   *
   * @param lintel the runtime
   * @param beanFactory where the handler beans are
   * @return the registrar
   */
  @Bean
  public LintelHandlerRegistrar lintelHandlerRegistrar(
      ObjectProvider<Lintel> lintel, ConfigurableListableBeanFactory beanFactory) {
    return new LintelHandlerRegistrar(lintel, beanFactory);
  }

  /**
   * Starts and stops the runtime with the context.
   *
   * @param lintel the runtime
   * @return the lifecycle bean
   */
  @Bean
  public LintelLifecycle lintelLifecycle(Lintel lintel) {
    return new LintelLifecycle(lintel);
  }
}
