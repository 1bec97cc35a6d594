package com.example.gatewayplugins;

import dev.lintel.gateway.Filter;
import dev.lintel.plugin.PluginContext;
import java.util.Map;

/** Reads a plugin's configuration section, naming the plugin and key in every error. */
final class Settings {
  /** The path prefix the gateway plugins guard unless configured otherwise. */
  static final String DEFAULT_PREFIX = "/api/";

  private final String pluginId;
  private final Map<String, String> section;

  Settings(PluginContext context) {
    this.pluginId = context.pluginId();
    this.section = context.config();
  }

  String required(String key, String why) {
    String value = section.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "Plugin '" + pluginId + "' needs '" + key + "' in its configuration: " + why);
    }
    return value;
  }

  String text(String key, String fallback) {
    return section.getOrDefault(key, fallback);
  }

  long positiveLong(String key, long fallback) {
    String value = section.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(
        "Plugin '"
            + pluginId
            + "': '"
            + key
            + "' must be a positive whole number but was '"
            + value
            + "'");
  }

  /** The filter, applied only to paths under the configured {@code path-prefix}. */
  Filter underPrefix(Filter filter) {
    String prefix = text("path-prefix", DEFAULT_PREFIX);
    return (request, next) ->
        request.path().startsWith(prefix) ? filter.filter(request, next) : next.proceed(request);
  }
}
