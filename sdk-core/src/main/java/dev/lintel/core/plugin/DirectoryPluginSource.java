package dev.lintel.core.plugin;

import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins of every {@code *.jar} in a directory, each jar in its own {@link PluginClassLoader}
 * whose parent is the class loader of the SDK. Jars are read in the order of their names. A jar
 * whose services file names a class that cannot be loaded or created is skipped with an error
 * naming it, and its loader closed; a jar without plugins is skipped with a warning.
 */
final class DirectoryPluginSource implements PluginSource {
  private static final Logger log = LoggerFactory.getLogger(DirectoryPluginSource.class);

  private final Path directory;

  DirectoryPluginSource(Path directory) {
    this.directory = directory;
  }

  @Override
  public List<DiscoveredPlugin> discover() {
    List<DiscoveredPlugin> found = new ArrayList<>();
    try {
      for (Path jar : jars()) {
        found.addAll(discover(jar));
      }
    } catch (RuntimeException | Error e) {
      found.stream()
          .map(DiscoveredPlugin::loader)
          .distinct()
          .forEach(DiscoveredPlugin::closeQuietly);
      throw e;
    }
    return found;
  }

  private List<Path> jars() {
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory, "*.jar")) {
      listing.forEach(jars::add);
    } catch (IOException e) {
      throw new PluginException("-", "Cannot list plugin directory " + directory, e);
    }
    Collections.sort(jars);
    return jars;
  }

  /** The plugins of one jar; none if it is skipped. */
  private static List<DiscoveredPlugin> discover(Path jar) {
    PluginClassLoader loader;
    try {
      loader =
          new PluginClassLoader(
              "plugin:" + jar.getFileName(),
              jar.toUri().toURL(),
              DirectoryPluginSource.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new PluginException("-", "Bad plugin jar path " + jar, e);
    }
    List<Plugin> plugins;
    try {
      plugins =
          ClasspathPluginSource.load(
                  ServiceLoader.load(Plugin.class, loader), jar.getFileName().toString())
              .stream()
              .filter(plugin -> plugin.getClass().getClassLoader() == loader)
              .toList();
    } catch (PluginException e) {
      log.error("Skipping plugin jar {}: {}", jar, e.getMessage(), e);
      DiscoveredPlugin.closeQuietly(loader);
      return List.of();
    }
    if (plugins.isEmpty()) {
      log.warn("Plugin jar {} declares no plugin in META-INF/services", jar);
      DiscoveredPlugin.closeQuietly(loader);
      return List.of();
    }
    List<DiscoveredPlugin> found = new ArrayList<>();
    try {
      for (Plugin plugin : plugins) {
        found.add(DiscoveredPlugin.of(plugin, "jar " + jar.getFileName(), loader));
      }
    } catch (RuntimeException e) {
      DiscoveredPlugin.closeQuietly(loader);
      throw e;
    }
    return found;
  }
}
