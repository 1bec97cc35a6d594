package dev.lintel.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.Lintel;
import dev.lintel.core.eventsourcing.InMemoryEventStore;
import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.core.plugin.PluginManager;
import dev.lintel.cqrs.DuplicateHandlerException;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.flags.FlagStore;
import dev.lintel.health.HealthGroup;
import dev.lintel.jdbc.eventsourcing.JdbcCheckpointStore;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.micrometer.LintelMetrics;
import dev.lintel.spring.boot.autoconfigure.Messages.CountOrders;
import dev.lintel.spring.boot.autoconfigure.Messages.Orders;
import dev.lintel.spring.boot.autoconfigure.Messages.Ping;
import dev.lintel.spring.boot.autoconfigure.Messages.PlaceOrder;
import dev.lintel.spring.boot.autoconfigure.Messages.Pong;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** The auto-configuration's conditions, each part on, off and replaced. */
class LintelAutoConfigurationTest {
  private static final AutoConfigurations LINTEL =
      AutoConfigurations.of(
          LintelJdbcAutoConfiguration.class,
          LintelRedisAutoConfiguration.class,
          LintelMetricsAutoConfiguration.class,
          LintelAutoConfiguration.class,
          LintelHealthAutoConfiguration.class);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(LINTEL);

  @Configuration(proxyBeanMethods = false)
  static class Handlers {
    @Bean
    Orders orders() {
      return new Orders();
    }

    @Bean
    Pong pong() {
      return new Pong();
    }
  }

  private static String h2() {
    return "spring.datasource.url=jdbc:h2:mem:starter-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  @Test
  void aRuntimeStartsWithTheContextAndRunsHandlersFoundOnBeans() {
    AtomicReference<Lintel> seen = new AtomicReference<>();
    runner
        .withUserConfiguration(Handlers.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Lintel.class);
              Lintel lintel = context.getBean(Lintel.class);
              seen.set(lintel);
              assertThat(lintel.state()).isEqualTo(Lintel.State.RUNNING);
              assertThat(lintel.commands().send(new PlaceOrder("o-1"))).isEqualTo("placed o-1");
              assertThat(lintel.queries().ask(new CountOrders())).isEqualTo(1);
              assertThat(lintel.commands().send(new Ping("x"))).isEqualTo("pong x");
              assertThat(lintel.eventStore()).isInstanceOf(InMemoryEventStore.class);
              assertThat(context.getBean(FlagStore.class)).isInstanceOf(InMemoryFlagStore.class);
              assertThat(context).hasSingleBean(Flags.class).hasSingleBean(PluginManager.class);
              assertThat(context).doesNotHaveBean(JdbcEventStore.class);
              assertThat(context).doesNotHaveBean(LintelMetrics.class);
            });
    assertThat(seen.get().state()).as("closed with the context").isEqualTo(Lintel.State.STOPPED);
  }

  @Test
  void lintelEnabledFalseConfiguresNothing() {
    runner
        .withPropertyValues("lintel.enabled=false", h2())
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(Lintel.class)
                    .doesNotHaveBean(FlagStore.class)
                    .doesNotHaveBean(JdbcEventStore.class));
  }

  @Test
  void theApplicationsOwnBeansReplaceTheDefaults() {
    Lintel own = Lintel.builder().build();
    InMemoryFlagStore flags = new InMemoryFlagStore();
    runner
        .withBean(Lintel.class, () -> own)
        .withBean(FlagStore.class, () -> flags)
        .withPropertyValues("lintel.plugins.enabled=false")
        .run(
            context -> {
              assertThat(context.getBean(Lintel.class)).isSameAs(own);
              assertThat(own.state())
                  .as("started by the lifecycle")
                  .isEqualTo(Lintel.State.RUNNING);
              assertThat(context.getBean(FlagStore.class)).isSameAs(flags);
              assertThat(context).doesNotHaveBean(PluginManager.class);
            });
  }

  @Test
  void theEventStoreUsesTheApplicationsDataSource() {
    runner
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(h2())
        .run(
            context -> {
              assertThat(context).hasSingleBean(JdbcEventStore.class);
              assertThat(context).hasSingleBean(JdbcCheckpointStore.class);
              JdbcEventStore jdbc = context.getBean(JdbcEventStore.class);
              Lintel lintel = context.getBean(Lintel.class);
              assertThat(lintel.eventStore()).isSameAs(jdbc);
              lintel
                  .eventStore()
                  .append(
                      "order-1",
                      ExpectedVersion.noStream(),
                      List.of(NewEvent.of(new PlaceOrder("1"))));
              assertThat(jdbc.readStream("order-1", 1, 10)).hasSize(1);
              assertThat(lintel.readiness().check("database")).isNotNull();
            });
  }

  @Test
  void withoutSdkJdbcOrWhenDisabledTheStoreStaysInMemory() {
    runner
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(h2())
        .withClassLoader(new FilteredClassLoader(JdbcEventStore.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(JdbcEventStore.class);
              assertThat(context.getBean(Lintel.class).eventStore())
                  .isInstanceOf(InMemoryEventStore.class);
            });
    runner
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(h2(), "lintel.event-store.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(JdbcEventStore.class));
  }

  @Test
  void withAMeterRegistryDispatchAndAppendsAreMetered() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class))
        .withUserConfiguration(Handlers.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(LintelMetrics.class);
              Lintel lintel = context.getBean(Lintel.class);
              lintel.commands().send(new PlaceOrder("o-1"));
              lintel
                  .eventStore()
                  .append("s", ExpectedVersion.any(), List.of(NewEvent.of(new PlaceOrder("1"))));
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      registry
                          .get("lintel.commands")
                          .tags("type", PlaceOrder.class.getName(), "outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      registry
                          .get("lintel.eventstore.appends")
                          .tag("outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(registry.get("lintel.flags.evaluations").functionCounter()).isNotNull();
            });
  }

  @Test
  void withoutSdkMicrometerThereIsNoBinder() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(LintelMetrics.class))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(Lintel.class)
                    .doesNotHaveBean(LintelMetrics.class));
  }

  private static final AutoConfigurations ACTUATOR_HEALTH =
      AutoConfigurations.of(
          ApplicationAvailabilityAutoConfiguration.class,
          AvailabilityHealthContributorAutoConfiguration.class,
          AvailabilityProbesAutoConfiguration.class,
          EndpointAutoConfiguration.class,
          HealthContributorAutoConfiguration.class,
          HealthEndpointAutoConfiguration.class);

  @Test
  void healthJoinsTheReadinessAndLivenessProbeGroups() {
    runner
        .withConfiguration(ACTUATOR_HEALTH)
        .withPropertyValues("management.endpoint.health.probes.enabled=true")
        .run(
            context -> {
              HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
              assertThat(endpoint.healthForPath("readiness", "lintel").getStatus())
                  .as("not ready before Spring says so")
                  .isEqualTo(Status.DOWN);
              AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
              HealthComponent readiness = endpoint.healthForPath("readiness");
              assertThat(readiness.getStatus()).isEqualTo(Status.UP);
              assertThat(((CompositeHealth) readiness).getComponents())
                  .containsKeys("readinessState", LintelHealthAutoConfiguration.READINESS);
              assertThat(((CompositeHealth) endpoint.healthForPath("liveness")).getComponents())
                  .containsKeys("livenessState", LintelHealthAutoConfiguration.LIVENESS);
            });
  }

  @Test
  void healthCanBeTurnedOffOrKeptOutOfTheProbeGroups() {
    runner
        .withConfiguration(ACTUATOR_HEALTH)
        .withPropertyValues(
            "management.endpoint.health.probes.enabled=true", "lintel.health.probe-groups=false")
        .run(
            context -> {
              assertThat(context).hasBean("lintelHealthIndicator");
              HealthComponent readiness =
                  context.getBean(HealthEndpoint.class).healthForPath("readiness");
              assertThat(((CompositeHealth) readiness).getComponents())
                  .doesNotContainKey(LintelHealthAutoConfiguration.READINESS);
            });
    runner
        .withConfiguration(ACTUATOR_HEALTH)
        .withPropertyValues("management.health.lintel.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("lintelHealthIndicator"));
  }

  @Test
  void readinessIsDownOnceTheRuntimeStopped() {
    runner
        .withConfiguration(ACTUATOR_HEALTH)
        .run(
            context -> {
              Lintel lintel = context.getBean(Lintel.class);
              lintel.close();
              assertThat(lintel.readiness().group()).isEqualTo(HealthGroup.READINESS);
              HealthComponent health =
                  context.getBean(HealthEndpoint.class).healthForPath("lintel");
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class DuplicateHandlers {
    @Bean
    Orders orders() {
      return new Orders();
    }

    @Bean
    Messages.OtherOrders otherOrders() {
      return new Messages.OtherOrders();
    }
  }

  @Test
  void twoHandlersOfOneCommandFailTheStartNamingTheType() {
    runner
        .withUserConfiguration(DuplicateHandlers.class)
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .satisfies(
                        failure ->
                            assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
                                .isInstanceOf(DuplicateHandlerException.class)
                                .hasMessageContaining(PlaceOrder.class.getSimpleName())));
  }
}
