package dev.lintel.core.plugin;

import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where plugins come from. Making a source finds nothing; {@link #discover()} does, each time it is
 * called, so a {@link PluginManager.Builder} only records its sources and discovers at {@code
 * build()}.
 */
interface PluginSource {

  /**
   * Finds the plugins and reads their descriptors. Loads classes, and for a directory opens one
   * class loader per jar, which the caller owns from then on.
   *
   * @return the plugins, in a stable order
   * @throws PluginException when the source as a whole cannot be read (see each factory); if it
   *     throws, it has closed every class loader it opened
   */
  List<DiscoveredPlugin> discover();

  /**
   * The plugins {@link java.util.ServiceLoader} finds through a class loader (the class path, or
   * the module path for {@code provides} declarations).
   *
   * @param loader the class loader
   * @return the source; its {@code discover()} throws {@link PluginException} if a listed class
   *     cannot be loaded or created or has no descriptor
   */
  static PluginSource classpath(ClassLoader loader) {
    return new ClasspathPluginSource(Objects.requireNonNull(loader, "loader"));
  }

  /**
   * The plugins of every {@code *.jar} in a directory, each jar in its own {@link
   * PluginClassLoader}, in the order of the jars' names.
   *
   * @param directory the directory
   * @return the source; its {@code discover()} skips, with an error naming it, a jar whose plugins
   *     cannot be loaded, and throws {@link PluginException} if the directory cannot be listed or a
   *     plugin has no descriptor
   */
  static PluginSource directory(Path directory) {
    return new DirectoryPluginSource(Objects.requireNonNull(directory, "directory"));
  }

  /**
   * A plugin object the host made itself.
   *
   * @param plugin the plugin
   * @return the source; its {@code discover()} throws {@link PluginException} if the plugin has no
   *     descriptor
   */
  static PluginSource of(Plugin plugin) {
    Objects.requireNonNull(plugin, "plugin");
    return () -> List.of(DiscoveredPlugin.of(plugin, "added by the host", null));
  }
}
