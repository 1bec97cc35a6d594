package dev.lintel.plugin;

import java.util.Objects;

/**
 * A plugin's need for another plugin.
 *
 * @param id the other plugin's id
 * @param versionRange the versions accepted: {@code *}, an exact version {@code 1.2.3}, {@code
 *     ^1.2.0} (same major), {@code ~1.2.0} (same minor), or comparators {@code >=1.2.0 <2.0.0}
 *     separated by spaces, all of which must hold
 * @param optional whether the plugin can run without it; an optional dependency that is present
 *     still starts first and must be in range
 */
public record PluginDependency(String id, String versionRange, boolean optional) {

  /**
   * Validates the dependency.
   *
   * @throws IllegalArgumentException if the id or range is blank
   */
  public PluginDependency {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(versionRange, "versionRange");
    if (id.isBlank() || versionRange.isBlank()) {
      throw new IllegalArgumentException(
          "plugin dependency needs an id and a version range but was '"
              + id
              + "' '"
              + versionRange
              + "'");
    }
  }

  /**
   * A required dependency.
   *
   * @param id the other plugin's id
   * @param versionRange the versions accepted
   * @return the dependency
   */
  public static PluginDependency requires(String id, String versionRange) {
    return new PluginDependency(id, versionRange, false);
  }

  /**
   * An optional dependency.
   *
   * @param id the other plugin's id
   * @param versionRange the versions accepted if it is present
   * @return the dependency
   */
  public static PluginDependency optional(String id, String versionRange) {
    return new PluginDependency(id, versionRange, true);
  }
}
