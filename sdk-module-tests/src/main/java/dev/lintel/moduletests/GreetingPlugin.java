package dev.lintel.moduletests;

import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDescriptor;

/** A plugin this module provides to {@link java.util.ServiceLoader}: it answers {@link Greet}. */
public final class GreetingPlugin implements Plugin {
  /** The plugin's id. */
  public static final String ID = "module-greeting";

  /** Creates the plugin; called by {@link java.util.ServiceLoader}. */
  public GreetingPlugin() {}

  @Override
  public PluginDescriptor descriptor() {
    return PluginDescriptor.of(ID, "1.0.0", "greets from a named module");
  }

  @Override
  public void start(PluginContext context) {
    context.answer(Greet.class, query -> "hello, " + query.name());
  }
}
