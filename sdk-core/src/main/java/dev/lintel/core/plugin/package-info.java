/**
 * The plugin manager and its parts: discovery through ServiceLoader and plugin jars ({@code
 * PluginSource}), dependency resolution as a pure function of the descriptors ({@code
 * PluginResolver}), isolated class loaders and lifecycle ({@link
 * dev.lintel.core.plugin.PluginManager}). Only the manager is public.
 */
@NullMarked
package dev.lintel.core.plugin;

import org.jspecify.annotations.NullMarked;
