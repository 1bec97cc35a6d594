package dev.lintel.core.plugin;

import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginDescriptor;
import dev.lintel.plugin.PluginException;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin a {@link PluginSource} found, with its descriptor (read once, here) and where it came
 * from.
 *
 * @param plugin the plugin object
 * @param descriptor what it declares
 * @param origin where it came from, for messages: {@code jar demo.jar}, {@code class path (...)}
 * @param loader the class loader of its jar, or null for a plugin of the host's class path
 */
record DiscoveredPlugin(
    Plugin plugin, PluginDescriptor descriptor, String origin, @Nullable PluginClassLoader loader) {
  private static final Logger log = LoggerFactory.getLogger(DiscoveredPlugin.class);

  /**
   * Reads a plugin's descriptor.
   *
   * @param plugin the plugin
   * @param origin where it came from
   * @param loader its jar's class loader, or null
   * @return the plugin with its descriptor
   * @throws PluginException naming the plugin class and origin if {@code descriptor()} throws or
   *     returns null
   */
  static DiscoveredPlugin of(Plugin plugin, String origin, @Nullable PluginClassLoader loader) {
    PluginDescriptor descriptor;
    try {
      descriptor = Objects.requireNonNull(plugin.descriptor(), "descriptor");
    } catch (RuntimeException | LinkageError e) {
      throw new PluginException(
          "-",
          "Plugin " + plugin.getClass().getName() + " from " + origin + " has no descriptor",
          e);
    }
    return new DiscoveredPlugin(plugin, descriptor, origin, loader);
  }

  /** Closes a jar's class loader, logging rather than throwing if that fails. */
  static void closeQuietly(@Nullable PluginClassLoader loader) {
    if (loader == null) {
      return;
    }
    try {
      loader.close();
    } catch (IOException e) {
      log.warn("Closing plugin class loader {} failed", loader.getName(), e);
    }
  }
}
