package dev.lintel.plugin;

/**
 * A unit of functionality loaded into a Lintel host, found by {@link java.util.ServiceLoader} (list
 * the class in {@code META-INF/services/dev.lintel.plugin.Plugin}) on the class path or in a plugin
 * jar. It needs a public no-argument constructor.
 *
 * <p>The host starts plugins in dependency order, each once, after every plugin it depends on has
 * started, and stops them in reverse order. Whatever a plugin registers through its context is
 * unregistered when it stops or fails. A plugin that throws from {@link #start} is marked {@link
 * PluginState#FAILED}; the plugins that depend on it are not started; the others run.
 */
public interface Plugin {

  /**
   * Describes the plugin. Called before anything else, possibly more than once: return the same
   * value each time.
   *
   * @return the descriptor
   */
  PluginDescriptor descriptor();

  /**
   * Starts the plugin: read its configuration and register its extensions through the context.
   *
   * @param context the plugin's view of the host
   * @throws Exception to fail the plugin; its registrations are undone
   */
  void start(PluginContext context) throws Exception;

  /**
   * Stops the plugin, releasing what it holds. Its registrations are undone by the host afterwards.
   *
   * @throws Exception logged; stopping goes on with the other plugins
   */
  default void stop() throws Exception {}
}
