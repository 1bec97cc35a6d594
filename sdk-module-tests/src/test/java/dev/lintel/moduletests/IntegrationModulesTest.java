package dev.lintel.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.Lintel;
import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.flags.Flag;
import dev.lintel.micrometer.LintelMetrics;
import dev.lintel.openfeature.LintelProvider;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The integration modules on the module path: each is its own named module with a module-info,
 * exports one package that no SDK module also holds, and works there.
 */
class IntegrationModulesTest {

  @Test
  void theIntegrationJarsAreNamedModulesWithTheirOwnPackages() {
    for (Class<?> type : Set.of(LintelMetrics.class, LintelProvider.class)) {
      Module module = type.getModule();
      assertThat(module.isNamed()).as(type.getName()).isTrue();
      assertThat(module.getDescriptor().isAutomatic()).as(module.getName()).isFalse();
      assertThat(module.getDescriptor().packages())
          .as(module.getName())
          .containsExactly(type.getPackageName());
      for (String sdk : Set.of("dev.lintel.api", "dev.lintel.core", "dev.lintel.redis")) {
        ModuleDescriptor other = ModuleLayer.boot().findModule(sdk).orElseThrow().getDescriptor();
        assertThat(other.packages()).doesNotContain(type.getPackageName());
      }
    }
    assertThat(LintelMetrics.class.getModule().getName()).isEqualTo("dev.lintel.micrometer");
    assertThat(LintelProvider.class.getModule().getName()).isEqualTo("dev.lintel.openfeature");
  }

  @Test
  void metricsTimeACommandOnTheModulePath() {
    LintelMetrics metrics = LintelMetrics.builder().build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Lintel lintel =
        Lintel.builder()
            .commandBus(LocalCommandBus.builder().interceptor(metrics.commandTiming()).build())
            .component(metrics)
            .build()
            .start()) {
      metrics.bindTo(registry);
      lintel.commands().register(PlaceOrder.class, command -> "order-1");
      lintel.commands().send(new PlaceOrder("keyboard", 1));

      assertThat(registry.get("lintel.commands").tag("outcome", "success").timer().count())
          .isEqualTo(1);
    }
    assertThat(registry.find("lintel.commands").meters()).as("removed on close").isEmpty();
  }

  @Test
  void flagsAnswerThroughOpenFeatureOnTheModulePath() {
    InMemoryFlagStore store = new InMemoryFlagStore();
    store.put(Flag.onForEveryone("checkout"));
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    try {
      api.setProviderAndWait(LintelProvider.using(store));

      assertThat(api.getClient().getBooleanValue("checkout", false, new ImmutableContext("ada")))
          .isTrue();
    } finally {
      api.shutdown();
    }
  }
}
