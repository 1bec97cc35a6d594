package dev.lintel.core.plugin;

import dev.lintel.plugin.PluginDependency;
import java.util.List;
import java.util.Objects;

/**
 * Why a plugin cannot start, as {@link PluginResolver} found it. {@link #pluginId()} is the
 * culprit: the plugin that cannot start; {@link #message()} names it and every other plugin
 * involved. Problems are immutable values.
 */
sealed interface ResolutionProblem {

  /**
   * Names the plugin that cannot start.
   *
   * @return its id
   */
  String pluginId();

  /**
   * Says why, for people: names this plugin and the others involved.
   *
   * @return the explanation
   */
  String message();

  /**
   * More than one plugin declares this id. The first copy stands for the id and cannot start; the
   * other copies are not considered at all.
   *
   * @param pluginId the id declared more than once
   * @param positions where each copy is in the resolver's input, in input order (at least two)
   */
  record DuplicateId(String pluginId, List<Integer> positions) implements ResolutionProblem {
    /** Copies the positions. */
    public DuplicateId {
      Objects.requireNonNull(pluginId, "pluginId");
      positions = List.copyOf(positions);
    }

    @Override
    public String message() {
      return "Plugin id '"
          + pluginId
          + "' is declared more than once ("
          + positions.size()
          + " copies)";
    }
  }

  /**
   * A required dependency is not installed.
   *
   * @param pluginId the plugin that needs it
   * @param dependency the dependency that is missing
   */
  record MissingDependency(String pluginId, PluginDependency dependency)
      implements ResolutionProblem {
    @Override
    public String message() {
      return "Plugin '"
          + pluginId
          + "' needs plugin '"
          + dependency.id()
          + "' "
          + dependency.versionRange()
          + ", which is not installed";
    }
  }

  /**
   * A dependency (required, or optional and installed) is installed in a version outside the range.
   *
   * @param pluginId the plugin that needs it
   * @param dependency the dependency and its range
   * @param installed the version installed
   */
  record VersionMismatch(String pluginId, PluginDependency dependency, String installed)
      implements ResolutionProblem {
    @Override
    public String message() {
      return "Plugin '"
          + pluginId
          + "' needs plugin '"
          + dependency.id()
          + "' "
          + dependency.versionRange()
          + ", but version "
          + installed
          + " is installed";
    }
  }

  /**
   * A dependency's version range cannot be parsed, or the installed version cannot be compared with
   * it.
   *
   * @param pluginId the plugin that declares the dependency
   * @param dependency the dependency
   * @param reason what could not be read
   */
  record MalformedVersion(String pluginId, PluginDependency dependency, String reason)
      implements ResolutionProblem {
    @Override
    public String message() {
      return "Plugin '"
          + pluginId
          + "' cannot check its dependency on plugin '"
          + dependency.id()
          + "' "
          + dependency.versionRange()
          + ": "
          + reason;
    }
  }

  /**
   * The plugin is on a dependency cycle (required or installed optional dependencies).
   *
   * @param pluginId a plugin on the cycle
   * @param path the cycle, starting and ending with this plugin: {@code [a, b, c, a]}
   */
  record Cycle(String pluginId, List<String> path) implements ResolutionProblem {
    /** Copies the path. */
    public Cycle {
      Objects.requireNonNull(pluginId, "pluginId");
      path = List.copyOf(path);
    }

    @Override
    public String message() {
      return "Plugin '" + pluginId + "' is on a dependency cycle: " + String.join(" -> ", path);
    }
  }

  /**
   * A dependency is installed but cannot start itself.
   *
   * @param pluginId the plugin that needs it
   * @param dependencyId the dependency, which has a problem of its own
   */
  record UnresolvedDependency(String pluginId, String dependencyId) implements ResolutionProblem {
    @Override
    public String message() {
      return "Plugin '"
          + pluginId
          + "' cannot start: its dependency '"
          + dependencyId
          + "' cannot be resolved";
    }
  }
}
