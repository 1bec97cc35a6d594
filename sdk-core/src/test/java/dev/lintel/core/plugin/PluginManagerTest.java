package dev.lintel.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.cqrs.LocalQueryBus;
import dev.lintel.core.health.HealthRegistry;
import dev.lintel.core.plugin.PluginMessages.Greet;
import dev.lintel.cqrs.NoHandlerException;
import dev.lintel.health.Health;
import dev.lintel.health.HealthGroup;
import dev.lintel.health.HealthStatus;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDependency;
import dev.lintel.plugin.PluginDescriptor;
import dev.lintel.plugin.PluginException;
import dev.lintel.plugin.PluginState;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginManagerTest {
  private final LocalCommandBus commands = LocalCommandBus.create();
  private final LocalQueryBus queries = LocalQueryBus.create();
  private final HealthRegistry health = HealthRegistry.create(Duration.ofSeconds(2));
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    health.close();
  }

  /** A plugin that records its start and stop, and can fail or register a greeting. */
  private final class TestPlugin implements Plugin {
    private final PluginDescriptor descriptor;
    private final boolean failOnStart;
    private final boolean answersGreet;

    TestPlugin(PluginDescriptor descriptor, boolean failOnStart, boolean answersGreet) {
      this.descriptor = descriptor;
      this.failOnStart = failOnStart;
      this.answersGreet = answersGreet;
    }

    @Override
    public PluginDescriptor descriptor() {
      return descriptor;
    }

    @Override
    public void start(PluginContext context) {
      if (answersGreet) {
        context.answer(
            Greet.class,
            greet -> context.config().getOrDefault("greeting", "hi") + " " + greet.name());
      }
      context.healthCheck("self", Health::up);
      if (failOnStart) {
        throw new IllegalStateException("cannot open its database");
      }
      events.add("start " + descriptor.id());
    }

    @Override
    public void stop() {
      events.add("stop " + descriptor.id());
    }
  }

  private TestPlugin plugin(String id, String version, PluginDependency... dependencies) {
    return new TestPlugin(
        PluginDescriptor.of(id, version, id).dependsOn(dependencies), false, false);
  }

  private TestPlugin greeter(String id) {
    return new TestPlugin(PluginDescriptor.of(id, "1.0.0", id), false, true);
  }

  private void start(PluginManager manager) {
    manager.start(commands, queries, health);
  }

  @Test
  void startsInDependencyOrderWithTiesByIdAndStopsInReverse() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("web", "1.0.0", PluginDependency.requires("auth", "^1.0.0")))
            .plugin(plugin("zeta", "1.0.0"))
            .plugin(plugin("auth", "1.4.2", PluginDependency.requires("crypto", ">=2.0.0 <3.0.0")))
            .plugin(plugin("crypto", "2.1.0"))
            .build();

    assertThat(manager.startOrder()).containsExactly("crypto", "auth", "web", "zeta");
    assertThat(manager.states())
        .containsOnlyKeys("crypto", "auth", "web", "zeta")
        .allSatisfy((id, state) -> assertThat(state).isEqualTo(PluginState.RESOLVED));
  }

  @Test
  void lifecycleRunsInOrderAndStopsInReverse() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("b", "1.0.0", PluginDependency.requires("a", "*")))
            .plugin(new TestPlugin(PluginDescriptor.of("a", "1.0.0", "a"), false, false))
            .build();
    start(manager);
    manager.stop();

    assertThat(events).containsExactly("start a", "start b", "stop b", "stop a");
    assertThat(manager.states().values()).containsOnly(PluginState.STOPPED);
  }

  @Test
  void aMissingDependencyIsReportedNamingBothPlugins() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("web", "1.0.0", PluginDependency.requires("auth", "^1.0.0")))
            .plugin(plugin("other", "1.0.0"))
            .build();
    start(manager);

    assertThat(manager.states())
        .containsEntry("web", PluginState.FAILED)
        .containsEntry("other", PluginState.STARTED);
    assertThat(manager.failure("web"))
        .hasMessageContaining("'web'")
        .hasMessageContaining("'auth'")
        .hasMessageContaining("not installed");
  }

  @Test
  void aVersionOutsideTheRangeIsReportedWithBothVersions() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("web", "1.0.0", PluginDependency.requires("auth", "^2.0.0")))
            .plugin(plugin("auth", "1.9.0"))
            .build();

    assertThat(manager.failure("web"))
        .hasMessageContaining("'auth' ^2.0.0")
        .hasMessageContaining("1.9.0");
    assertThat(manager.states()).containsEntry("auth", PluginState.RESOLVED);
  }

  @Test
  void aDuplicateIdIsReportedWithBothOrigins() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("auth", "1.0.0"))
            .plugin(plugin("auth", "1.1.0"))
            .build();

    assertThat(manager.states()).containsEntry("auth", PluginState.FAILED);
    assertThat(manager.failure("auth"))
        .hasMessageContaining("'auth'")
        .hasMessageContaining("more than once");
  }

  @Test
  void aCycleIsReportedWithItsPathAndItsDependentsDoNotStart() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("a", "1.0.0", PluginDependency.requires("b", "*")))
            .plugin(plugin("b", "1.0.0", PluginDependency.requires("c", "*")))
            .plugin(plugin("c", "1.0.0", PluginDependency.requires("a", "*")))
            .plugin(plugin("d", "1.0.0", PluginDependency.requires("a", "*")))
            .plugin(plugin("e", "1.0.0"))
            .build();
    start(manager);

    assertThat(manager.failure("a")).hasMessageContaining("a -> b -> c -> a");
    assertThat(manager.states())
        .containsEntry("a", PluginState.FAILED)
        .containsEntry("b", PluginState.FAILED)
        .containsEntry("c", PluginState.FAILED)
        .containsEntry("d", PluginState.FAILED)
        .containsEntry("e", PluginState.STARTED);
    assertThat(manager.failure("d")).hasMessageContaining("'a' is FAILED");
  }

  @Test
  void unloadingAnUnrelatedPluginNextToACycleStopsOnlyIt() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("a", "1.0.0", PluginDependency.requires("b", "*")))
            .plugin(plugin("b", "1.0.0", PluginDependency.requires("a", "*")))
            .plugin(plugin("d", "1.0.0", PluginDependency.requires("a", "*")))
            .plugin(plugin("e", "1.0.0"))
            .build();
    start(manager);

    manager.unload("e");

    assertThat(events).containsExactly("start e", "stop e");
    assertThat(manager.states())
        .containsOnlyKeys("a", "b", "d")
        .allSatisfy((id, state) -> assertThat(state).isEqualTo(PluginState.FAILED));
    assertThat(manager.failure("a")).hasMessageContaining("a -> b -> a");
  }

  @Test
  void unloadStopsEveryPluginThatNeedsItEvenThroughOthersAndWalksPastCycles() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("x", "1.0.0"))
            .plugin(plugin("y", "1.0.0", PluginDependency.requires("x", "*")))
            .plugin(plugin("z", "1.0.0", PluginDependency.optional("y", "*")))
            .plugin(
                plugin(
                    "a",
                    "1.0.0",
                    PluginDependency.requires("b", "*"),
                    PluginDependency.requires("x", "*")))
            .plugin(plugin("b", "1.0.0", PluginDependency.requires("a", "*")))
            .plugin(plugin("e", "1.0.0"))
            .build();
    start(manager);

    manager.unload("x");

    assertThat(events)
        .containsExactly("start e", "start x", "start y", "start z", "stop z", "stop y", "stop x");
    assertThat(manager.states())
        .containsOnlyKeys("e", "y", "z", "a", "b")
        .containsEntry("e", PluginState.STARTED)
        .containsEntry("y", PluginState.STOPPED)
        .containsEntry("z", PluginState.STOPPED)
        .containsEntry("a", PluginState.FAILED)
        .containsEntry("b", PluginState.FAILED);
    assertThat(manager.startOrder()).containsExactly("e", "y", "z");
  }

  @Test
  void aPluginThatNeedsAnUnresolvablePluginFailsWhenTheManagerIsBuilt() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("web", "1.0.0", PluginDependency.requires("auth", "*")))
            .plugin(plugin("auth", "1.0.0", PluginDependency.requires("crypto", "^2.0.0")))
            .plugin(plugin("other", "1.0.0"))
            .build();

    assertThat(manager.states())
        .containsEntry("auth", PluginState.FAILED)
        .containsEntry("web", PluginState.FAILED)
        .containsEntry("other", PluginState.RESOLVED);
    assertThat(manager.startOrder()).containsExactly("other");
    assertThat(manager.failure("web"))
        .hasMessageContaining("'web'")
        .hasMessageContaining("'auth' is FAILED")
        .cause()
        .isSameAs(manager.failure("auth"))
        .hasMessageContaining("'crypto' ^2.0.0")
        .hasMessageContaining("not installed");
  }

  @Test
  void aDuplicateIdNamesWhereEachCopyCameFrom() {
    PluginManager manager =
        PluginManager.builder()
            .plugin(plugin("auth", "1.0.0"))
            .classpath()
            .plugin(plugin("classpath-sample", "2.0.0"))
            .build();

    assertThat(manager.failure("classpath-sample"))
        .hasMessageContaining("'classpath-sample' is declared more than once")
        .hasMessageContaining("class path (" + ClasspathSamplePlugin.class.getName() + ")")
        .hasMessageContaining("added by the host");
    assertThat(manager.states()).containsEntry("auth", PluginState.RESOLVED);
  }

  @Test
  void aPluginDirectoryIsReadWhenTheManagerIsBuiltNotWhenItIsNamed(@TempDir Path work) {
    Path missing = work.resolve("no-such-directory");
    PluginManager.Builder builder = PluginManager.builder().directory(missing);

    assertThatThrownBy(builder::build)
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("Cannot list plugin directory")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aClassPathPluginThatCannotBeCreatedFailsTheBuildNotTheSetter(@TempDir Path work)
      throws IOException {
    Path services = work.resolve("META-INF/services/dev.lintel.plugin.Plugin");
    Files.createDirectories(services.getParent());
    Files.writeString(services, "com.example.Nowhere\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader())) {
      PluginManager.Builder builder = PluginManager.builder().classpath(loader);

      assertThatThrownBy(builder::build)
          .isInstanceOf(PluginException.class)
          .hasMessageContaining("class path cannot be loaded")
          .hasMessageContaining("com.example.Nowhere");
    }
  }

  @Test
  void aPluginWithoutADescriptorFailsTheBuildNamingItsClass() {
    Plugin nameless =
        new Plugin() {
          @Override
          public PluginDescriptor descriptor() {
            throw new IllegalStateException("forgot to describe itself");
          }

          @Override
          public void start(PluginContext context) {}
        };
    PluginManager.Builder builder =
        PluginManager.builder().plugin(greeter("fine")).plugin(nameless);

    assertThatThrownBy(builder::build)
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(nameless.getClass().getName())
        .hasMessageContaining("has no descriptor")
        .hasRootCauseMessage("forgot to describe itself");
  }

  @Test
  void anOptionalDependencyMayBeAbsentAndStartsFirstWhenPresent() {
    PluginManager without =
        PluginManager.builder()
            .plugin(plugin("web", "1.0.0", PluginDependency.optional("metrics", "*")))
            .build();
    assertThat(without.states()).containsEntry("web", PluginState.RESOLVED);

    PluginManager with =
        PluginManager.builder()
            .plugin(plugin("a-web", "1.0.0", PluginDependency.optional("metrics", "*")))
            .plugin(plugin("metrics", "1.0.0"))
            .build();
    assertThat(with.startOrder()).containsExactly("metrics", "a-web");
  }

  @Test
  void aPluginThatFailsToStartIsIsolatedAndItsRegistrationsUndone() throws Exception {
    PluginManager manager =
        PluginManager.builder()
            .plugin(new TestPlugin(PluginDescriptor.of("broken", "1.0.0", "broken"), true, true))
            .plugin(plugin("needs-broken", "1.0.0", PluginDependency.requires("broken", "*")))
            .plugin(greeter("healthy"))
            .config("healthy", Map.of("greeting", "hello"))
            .build();
    start(manager);

    assertThat(manager.states())
        .containsEntry("broken", PluginState.FAILED)
        .containsEntry("needs-broken", PluginState.FAILED)
        .containsEntry("healthy", PluginState.STARTED);
    assertThat(manager.failure("broken"))
        .hasMessageContaining("'broken' failed to start")
        .hasRootCauseMessage("cannot open its database");
    assertThat(manager.failure("needs-broken")).hasMessageContaining("'broken' is FAILED");
    assertThat(queries.ask(new Greet("ada")))
        .as("the healthy plugin's handler, with its config")
        .isEqualTo("hello ada");
    assertThat(health.report(HealthGroup.READINESS).check("plugin:broken:self"))
        .as("undone")
        .isNull();
    assertThat(manager.healthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void stoppingAPluginUnregistersItsExtensions() {
    PluginManager manager = PluginManager.builder().plugin(greeter("greeter")).build();
    start(manager);
    assertThat(queries.ask(new Greet("bob"))).isEqualTo("hi bob");
    assertThat(health.report(HealthGroup.READINESS).check("plugin:greeter:self").status())
        .isEqualTo(HealthStatus.UP);

    manager.unload("greeter");

    assertThatThrownBy(() -> queries.ask(new Greet("bob"))).isInstanceOf(NoHandlerException.class);
    assertThat(manager.states()).doesNotContainKey("greeter");
    assertThatThrownBy(() -> manager.unload("greeter"))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("'greeter'");
  }

  @Test
  void pluginsListedInMetaInfServicesAreFoundOnTheClassPath() {
    PluginManager manager = PluginManager.builder().classpath().build();

    assertThat(manager.states()).containsKey("classpath-sample");
  }

  @Test
  void theRuntimeStartsPluginsFirstAndStopsThemOnShutdown() {
    PluginManager manager = PluginManager.builder().plugin(greeter("greeter")).build();
    dev.lintel.core.Lintel lintel =
        dev.lintel.core.Lintel.builder().plugins(manager).build().start();

    assertThat(lintel.queries().ask(new Greet("eve"))).isEqualTo("hi eve");
    assertThat(lintel.readiness().check("plugins").status()).isEqualTo(HealthStatus.UP);
    lintel.close();

    assertThat(manager.states()).containsEntry("greeter", PluginState.STOPPED);
    assertThat(events).containsExactly("start greeter", "stop greeter");
  }

  @Test
  void badDescriptorsAreRefusedNamingThePlugin() {
    assertThatThrownBy(() -> PluginDescriptor.of("Bad Id", "1.0.0", "x"))
        .hasMessageContaining("'Bad Id'");
    assertThatThrownBy(() -> PluginDescriptor.of("web", "1.0", "x"))
        .hasMessageContaining("'web'")
        .hasMessageContaining("'1.0'");
  }
}
