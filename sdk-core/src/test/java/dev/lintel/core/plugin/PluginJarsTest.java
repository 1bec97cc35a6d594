package dev.lintel.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.cqrs.LocalQueryBus;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.core.health.HealthRegistry;
import dev.lintel.core.plugin.PluginMessages.Greet;
import dev.lintel.core.plugin.PluginMessages.Shout;
import dev.lintel.cqrs.NoHandlerException;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real plugin jars, compiled and packed while the test runs, loaded from a directory: each in its
 * own class loader. Two of them carry a private library class of the same name with different code;
 * one throws on start; one lists a class it does not contain.
 */
class PluginJarsTest {
  @TempDir Path work;

  private static String path(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compiles sources (name -> code) against the SDK API and packs them with a services file. */
  private void jar(Path directory, String jarName, Map<String, String> sources, String services)
      throws IOException {
    Path src = Files.createDirectories(work.resolve(jarName + "-src"));
    Path classes = Files.createDirectories(work.resolve(jarName + "-classes"));
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      files.add(file.toString());
    }
    String classpath =
        String.join(
            java.io.File.pathSeparator,
            path(Plugin.class),
            path(PluginMessages.class),
            path(org.jspecify.annotations.Nullable.class));
    List<String> arguments =
        new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath, "--release", "17"));
    arguments.addAll(files);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, arguments.toArray(String[]::new)))
        .as("javac " + jarName)
        .isZero();
    try (OutputStream out = Files.newOutputStream(directory.resolve(jarName));
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> compiled = Files.walk(classes)) {
      for (Path file : compiled.filter(Files::isRegularFile).toList()) {
        jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
      jar.putNextEntry(new JarEntry("META-INF/services/dev.lintel.plugin.Plugin"));
      jar.write(services.getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
  }

  private static String words(String word) {
    return "package com.example.lib;\n"
        + "public final class Words { public static String word() { return \""
        + word
        + "\"; } }\n";
  }

  private static String plugin(String pkg, String id, String deps, String query, String body) {
    return "package "
        + pkg
        + ";\n"
        + "import dev.lintel.plugin.*;\n"
        + "public final class P implements Plugin {\n"
        + "  public PluginDescriptor descriptor() {\n"
        + "    return PluginDescriptor.of(\""
        + id
        + "\", \"1.2.0\", \"test\")"
        + deps
        + ";\n"
        + "  }\n"
        + "  public void start(PluginContext context) {\n"
        + "    "
        + body
        + "\n"
        + "    context.answer(dev.lintel.core.plugin.PluginMessages."
        + query
        + ".class,\n"
        + "        q -> com.example.lib.Words.word() + \" \" + q.name());\n"
        + "  }\n"
        + "}\n";
  }

  @Test
  void jarsLoadInTheirOwnClassLoadersAndABrokenOneIsIsolated() throws IOException {
    Path plugins = Files.createDirectories(work.resolve("plugins"));
    jar(
        plugins,
        "greeter.jar",
        Map.of(
            "com.example.greeter.P",
            plugin("com.example.greeter", "greeter", "", "Greet", ""),
            "com.example.lib.Words",
            words("hello")),
        "com.example.greeter.P\n");
    jar(
        plugins,
        "shouter.jar",
        Map.of(
            "com.example.shouter.P",
            plugin(
                "com.example.shouter",
                "shouter",
                ".dependsOn(PluginDependency.requires(\"greeter\", \"^1.0.0\"))",
                "Shout",
                ""),
            "com.example.lib.Words",
            words("HEY")),
        "com.example.shouter.P\n");
    jar(
        plugins,
        "broken.jar",
        Map.of(
            "com.example.broken.P",
            plugin(
                "com.example.broken",
                "broken",
                "",
                "Greet",
                "if (true) throw new IllegalStateException(\"broken on purpose\");"),
            "com.example.lib.Words",
            words("never")),
        "com.example.broken.P\n");
    jar(
        plugins,
        "missing-class.jar",
        Map.of("com.example.lib.Words", words("x")),
        "com.example.Nowhere\n");

    LocalQueryBus queries = LocalQueryBus.create();
    try (HealthRegistry health = HealthRegistry.create(Duration.ofSeconds(2))) {
      PluginManager manager = PluginManager.builder().directory(plugins).build();
      manager.start(LocalCommandBus.create(), queries, health);

      assertThat(manager.states())
          .containsEntry("greeter", PluginState.STARTED)
          .containsEntry("shouter", PluginState.STARTED)
          .containsEntry("broken", PluginState.FAILED)
          .hasSize(3); // missing-class.jar was skipped with an error
      assertThat(manager.failure("broken")).hasRootCauseMessage("broken on purpose");
      // Each plugin sees its own com.example.lib.Words: private libraries do not clash.
      assertThat(queries.ask(new Greet("ada"))).isEqualTo("hello ada");
      assertThat(queries.ask(new Shout("ada"))).isEqualTo("HEY ada");

      manager.unload("greeter"); // stops shouter first: it depends on greeter

      assertThat(manager.states())
          .containsEntry("shouter", PluginState.STOPPED)
          .doesNotContainKey("greeter");
      assertThatThrownBy(() -> queries.ask(new Shout("ada")))
          .isInstanceOf(NoHandlerException.class);
      assertThatThrownBy(() -> queries.ask(new Greet("ada")))
          .isInstanceOf(NoHandlerException.class);
    }
  }

  @Test
  void theDirectoryIsReadWhenTheManagerIsBuiltSoJarsAddedAfterNamingItAreFound()
      throws IOException {
    Path plugins = Files.createDirectories(work.resolve("late"));
    PluginManager.Builder builder = PluginManager.builder().directory(plugins);
    jar(
        plugins,
        "late.jar",
        Map.of(
            "com.example.late.P",
            plugin("com.example.late", "late", "", "Greet", ""),
            "com.example.lib.Words",
            words("late")),
        "com.example.late.P\n");

    PluginManager manager = builder.build();

    assertThat(manager.states()).containsEntry("late", PluginState.RESOLVED);
    manager.unload("late"); // closes its class loader
  }

  private static boolean isSdkClass(String file) {
    return file.replace('\\', '/').contains("dev/lintel/")
        && file.endsWith(".class")
        && !file.endsWith("module-info.class");
  }

  @Test
  void aJarThatBundlesItsOwnCopyOfTheSdkStillSharesTheHostsSdkTypes() throws IOException {
    Path plugins = Files.createDirectories(work.resolve("bundled"));
    jar(
        plugins,
        "fat.jar",
        Map.of(
            "com.example.fat.P",
            plugin("com.example.fat", "fat", "", "Greet", ""),
            "com.example.lib.Words",
            words("bundled")),
        "com.example.fat.P\n");
    // A careless build shades sdk-api and sdk-core into the plugin jar.
    Path fatJar = plugins.resolve("fat.jar");
    Path withSdk = plugins.resolve("fat-with-sdk.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(withSdk));
        JarFile original = new JarFile(fatJar.toFile())) {
      for (JarEntry entry : Collections.list(original.entries())) {
        out.putNextEntry(new JarEntry(entry.getName()));
        out.write(original.getInputStream(entry).readAllBytes());
        out.closeEntry();
      }
      for (Class<?> sdkType : List.of(Plugin.class, PluginManager.class)) {
        Path root = Path.of(path(sdkType));
        if (Files.isDirectory(root)) { // a reactor build's classes folder
          try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> isSdkClass(f.toString())).toList()) {
              out.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
              out.write(Files.readAllBytes(file));
              out.closeEntry();
            }
          }
        } else { // an installed jar
          try (JarFile sdk = new JarFile(root.toFile())) {
            for (JarEntry entry : Collections.list(sdk.entries())) {
              if (isSdkClass(entry.getName())) {
                out.putNextEntry(new JarEntry(entry.getName()));
                out.write(sdk.getInputStream(entry).readAllBytes());
                out.closeEntry();
              }
            }
          }
        }
      }
    }
    Files.delete(fatJar);
    try (JarFile bundled = new JarFile(withSdk.toFile())) {
      assertThat(bundled.getEntry("dev/lintel/plugin/Plugin.class"))
          .as("the plugin jar carries its own copy of the SDK API")
          .isNotNull();
    }

    LocalQueryBus queries = LocalQueryBus.create();
    try (HealthRegistry health = HealthRegistry.create(Duration.ofSeconds(2))) {
      PluginManager manager = PluginManager.builder().directory(plugins).build();
      manager.start(LocalCommandBus.create(), queries, health);

      // Its Plugin, PluginContext and query types are the host's, so nothing fails to cast.
      assertThat(manager.states()).containsEntry("fat", PluginState.STARTED);
      assertThat(queries.ask(new Greet("ada"))).isEqualTo("bundled ada");
    }
  }

  @Test
  void unloadingOnePluginOfAJarKeepsTheJarsOtherPluginsWorking() throws IOException {
    Path plugins = Files.createDirectories(work.resolve("shared-jar"));
    jar(
        plugins,
        "two-plugins.jar",
        Map.of(
            "com.example.one.P",
            plugin("com.example.one", "one", "", "Greet", ""),
            "com.example.two.P",
            plugin("com.example.two", "two", "", "Shout", ""),
            "com.example.lib.Words",
            words("still")),
        "com.example.one.P\ncom.example.two.P\n");

    LocalQueryBus queries = LocalQueryBus.create();
    try (HealthRegistry health = HealthRegistry.create(Duration.ofSeconds(2))) {
      PluginManager manager = PluginManager.builder().directory(plugins).build();
      manager.start(LocalCommandBus.create(), queries, health);

      manager.unload("one");

      // "two" first needs com.example.lib.Words now: the shared loader must still be open.
      assertThat(queries.ask(new Shout("ada"))).isEqualTo("still ada");
      assertThat(manager.states()).containsEntry("two", PluginState.STARTED);
      manager.unload("two");
      assertThatThrownBy(() -> queries.ask(new Shout("ada")))
          .isInstanceOf(NoHandlerException.class);
    }
  }

  @Test
  void theHostsOwnLibrariesAreInvisibleToPlugins() throws Exception {
    Path plugins = Files.createDirectories(work.resolve("isolated"));
    jar(
        plugins,
        "peeker.jar",
        Map.of(
            "com.example.peeker.P",
            plugin(
                "com.example.peeker",
                "peeker",
                "",
                "Greet",
                "try { Class.forName(\"com.github.benmanes.caffeine.cache.Caffeine\");"
                    + " throw new IllegalStateException(\"saw the host's Caffeine\"); }"
                    + " catch (ClassNotFoundException expected) { }"),
            "com.example.lib.Words",
            words("private")),
        "com.example.peeker.P\n");
    LocalQueryBus queries = LocalQueryBus.create();
    try (HealthRegistry health = HealthRegistry.create(Duration.ofSeconds(2))) {
      PluginManager manager = PluginManager.builder().directory(plugins).build();
      manager.start(LocalCommandBus.create(), queries, health);

      assertThat(manager.states()).containsEntry("peeker", PluginState.STARTED);
      assertThat(queries.ask(new Greet("x"))).isEqualTo("private x");
    }
  }

  @Test
  void aJarPluginsFilterRunsWithItsOwnClassLoaderAsContextLoaderAndTheRestWithTheHosts()
      throws Exception {
    Path plugins = Files.createDirectories(work.resolve("filtering"));
    jar(
        plugins,
        "worder.jar",
        Map.of(
            "com.example.worder.P",
            plugin(
                "com.example.worder",
                "worder",
                "",
                "Greet",
                "context.filter(\"word\", 0, (request, next) -> next.proceed(request).withHeader("
                    + "\"X-Word\", (String) Thread.currentThread().getContextClassLoader()"
                    + ".loadClass(\"com.example.lib.Words\").getMethod(\"word\").invoke(null)));"),
            "com.example.lib.Words",
            words("from-the-jar")),
        "com.example.worder.P\n");
    try (HealthRegistry health = HealthRegistry.create(Duration.ofSeconds(2))) {
      PluginManager manager = PluginManager.builder().directory(plugins).build();
      manager.start(LocalCommandBus.create(), LocalQueryBus.create(), health);
      java.util.concurrent.atomic.AtomicReference<ClassLoader> seenByHandler =
          new java.util.concurrent.atomic.AtomicReference<>();
      Pipeline pipeline =
          Pipeline.builder()
              .filter(manager.filters())
              .route(
                  "GET",
                  "/x",
                  request -> {
                    seenByHandler.set(Thread.currentThread().getContextClassLoader());
                    return Response.ok("x");
                  })
              .build();
      ClassLoader before = Thread.currentThread().getContextClassLoader();

      Response response = pipeline.handle(Request.of("GET", "/x"));

      assertThat(response.header("X-Word")).isEqualTo("from-the-jar");
      assertThat(seenByHandler.get())
          .as("the host's handler keeps the host's loader")
          .isSameAs(before);
      assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
      manager.unload("worder");
      assertThat(pipeline.handle(Request.of("GET", "/x")).header("X-Word")).isNull();
    }
  }
}
