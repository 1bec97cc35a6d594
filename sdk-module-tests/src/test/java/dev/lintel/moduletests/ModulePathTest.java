package dev.lintel.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.LintelException;
import dev.lintel.core.Lintel;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.plugin.PluginState;
import dev.lintel.redis.cache.RedisCacheStore;
import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

/**
 * Runs this consumer module and the SDK on the module path. The JVM could not even start if two SDK
 * modules exported the same package, and this module could not compile if a package it uses were
 * not exported; the tests check the rest: each SDK jar is its named module, internals stay hidden,
 * and the runtime, the JDBC event store, the tiered cache and {@code ServiceLoader} plugins work.
 */
class ModulePathTest {
  private static final Map<Class<?>, String> SDK_MODULES =
      Map.of(
          LintelException.class, "dev.lintel.api",
          Lintel.class, "dev.lintel.core",
          JdbcEventStore.class, "dev.lintel.jdbc",
          RedisCacheStore.class, "dev.lintel.redis",
          ModularHost.class, "dev.lintel.moduletests");

  @Test
  void everySdkJarIsItsOwnNamedModule() {
    SDK_MODULES.forEach(
        (type, module) -> {
          assertThat(type.getModule().isNamed()).as(type.getName()).isTrue();
          assertThat(type.getModule().getName()).as(type.getName()).isEqualTo(module);
          assertThat(type.getModule().getDescriptor().isAutomatic())
              .as(module + " has a module-info")
              .isFalse();
        });
  }

  @Test
  void theSdkModulesExportDisjointPackagesAndKeepInternalsHidden() {
    Set<String> seen = new TreeSet<>();
    for (String module :
        Set.of("dev.lintel.api", "dev.lintel.core", "dev.lintel.redis", "dev.lintel.jdbc")) {
      ModuleDescriptor descriptor =
          ModuleLayer.boot().findModule(module).orElseThrow().getDescriptor();
      for (String pkg : descriptor.packages()) {
        assertThat(seen.add(pkg)).as(pkg + " is in more than one module").isTrue();
      }
      Set<String> exported =
          descriptor.exports().stream()
              .filter(export -> !export.isQualified())
              .map(ModuleDescriptor.Exports::source)
              .collect(Collectors.toSet());
      for (String pkg : descriptor.packages()) {
        assertThat(exported.contains(pkg))
            .as(module + " exports " + pkg)
            .isEqualTo(!pkg.contains(".internal"));
      }
    }
    assertThat(Lintel.class.getModule().isExported("dev.lintel.core.internal")).isFalse();
  }

  @Test
  void aCommandAppendsToTheJdbcEventStoreAndFillsTheTieredCache() {
    try (ModularHost host = ModularHost.start(h2("orders"))) {
      String id = host.lintel().commands().send(new PlaceOrder("keyboard", 2));

      assertThat(host.history(id)).containsExactly(new OrderPlaced(id, "keyboard", 2));
      assertThat(host.orders().getIfPresent(id)).isEqualTo(new OrderPlaced(id, "keyboard", 2));
      assertThat(host.orders().get("missing", key -> new OrderPlaced(key, "loaded", 1)))
          .isEqualTo(new OrderPlaced("missing", "loaded", 1));
    }
  }

  @Test
  void aPluginThisModuleProvidesIsFoundByServiceLoaderAndAnswersQueries() {
    try (ModularHost host = ModularHost.start(h2("plugins"))) {
      assertThat(host.lintel().queries().ask(new Greet("ada"))).isEqualTo("hello, ada");
      assertThat(host.plugins().states()).containsEntry(GreetingPlugin.ID, PluginState.STARTED);
    }
  }

  private static DataSource h2(String name) {
    return JdbcConnectionPool.create("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
  }
}
