/**
 * The plugin SPI: a {@link dev.lintel.plugin.Plugin} declares a {@link
 * dev.lintel.plugin.PluginDescriptor} (id, version, dependencies) and contributes handlers and
 * health checks through its {@link dev.lintel.plugin.PluginContext}. Plugin authors compile against
 * this package only.
 */
@NullMarked
package dev.lintel.plugin;

import org.jspecify.annotations.NullMarked;
