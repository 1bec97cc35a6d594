package dev.lintel.core.plugin;

import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The plugins {@link ServiceLoader} finds through one class loader: {@code
 * META-INF/services/dev.lintel.plugin.Plugin} on the class path, {@code provides} on the module
 * path. Any failure to load or create a listed class fails the whole source.
 */
final class ClasspathPluginSource implements PluginSource {
  private final ClassLoader loader;

  ClasspathPluginSource(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public List<DiscoveredPlugin> discover() {
    List<DiscoveredPlugin> found = new ArrayList<>();
    for (Plugin plugin : load(ServiceLoader.load(Plugin.class, loader), "class path")) {
      found.add(
          DiscoveredPlugin.of(plugin, "class path (" + plugin.getClass().getName() + ")", null));
    }
    return found;
  }

  /**
   * Creates every plugin a service loader lists.
   *
   * @throws PluginException naming the origin if a listed class cannot be loaded or created
   */
  static List<Plugin> load(ServiceLoader<Plugin> services, String origin) {
    List<Plugin> plugins = new ArrayList<>();
    try {
      for (Plugin plugin : services) {
        plugins.add(plugin);
      }
    } catch (ServiceConfigurationError e) {
      throw new PluginException(
          "-", "Plugins from " + origin + " cannot be loaded: " + e.getMessage(), e);
    }
    return plugins;
  }
}
