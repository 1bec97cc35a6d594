package dev.lintel.plugin;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a plugin is: a unique id, a semantic version, a description and its dependencies.
 *
 * @param id lower-case letters, digits, {@code . _ -}, starting with a letter; at most 100
 * @param version a semantic version {@code MAJOR.MINOR.PATCH}, optionally {@code -prerelease}
 * @param description one line for people
 * @param dependencies the plugins it needs
 */
public record PluginDescriptor(
    String id, String version, String description, List<PluginDependency> dependencies) {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9._-]{0,99}");
  private static final Pattern VERSION =
      Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?");

  /**
   * Validates the descriptor.
   *
   * @throws IllegalArgumentException naming the plugin if the id or version is malformed
   */
  public PluginDescriptor {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(description, "description");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "plugin id must be lower-case letters, digits, '.', '_' or '-' but was '" + id + "'");
    }
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(
          "version of plugin '" + id + "' must be MAJOR.MINOR.PATCH but was '" + version + "'");
    }
    dependencies = List.copyOf(Objects.requireNonNull(dependencies, "dependencies"));
  }

  /**
   * A descriptor without dependencies.
   *
   * @param id the id
   * @param version the version
   * @param description the description
   * @return the descriptor
   */
  public static PluginDescriptor of(String id, String version, String description) {
    return new PluginDescriptor(id, version, description, List.of());
  }

  /**
   * This descriptor with more dependencies.
   *
   * @param more the dependencies to add
   * @return a copy
   */
  public PluginDescriptor dependsOn(PluginDependency... more) {
    List<PluginDependency> all = new java.util.ArrayList<>(dependencies);
    all.addAll(List.of(more));
    return new PluginDescriptor(id, version, description, all);
  }
}
