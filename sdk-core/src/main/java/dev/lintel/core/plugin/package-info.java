/**
 * The plugin manager: discovery through ServiceLoader and plugin jars, dependency resolution,
 * isolated class loaders and lifecycle.
 */
@NullMarked
package dev.lintel.core.plugin;

import org.jspecify.annotations.NullMarked;
