package dev.lintel.core.plugin;

import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDescriptor;

/** Listed in this module's test META-INF/services, to prove ServiceLoader discovery. */
public final class ClasspathSamplePlugin implements Plugin {

  @Override
  public PluginDescriptor descriptor() {
    return PluginDescriptor.of("classpath-sample", "1.0.0", "found by ServiceLoader");
  }

  @Override
  public void start(PluginContext context) {}
}
