package dev.lintel.core.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PluginResolver} decided about a set of plugin descriptors: the plugins that can
 * start, in the order to start them, and for each plugin that cannot, why. Every id of the input is
 * in exactly one of the two. Immutable, so safe to share between threads.
 *
 * @param startOrder the ids of the plugins that can start; each comes after every dependency it has
 *     installed, and ties go to the smallest id
 * @param problems why each other plugin cannot start, by id; a plugin's {@link
 *     ResolutionProblem.UnresolvedDependency} comes after the problem of the dependency it names
 */
record Resolution(List<String> startOrder, Map<String, ResolutionProblem> problems) {

  /**
   * Copies the order and the problems, keeping the problems' iteration order.
   *
   * @throws IllegalArgumentException if a plugin is both in the start order and has a problem
   */
  Resolution {
    startOrder = List.copyOf(startOrder);
    problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
    for (String id : startOrder) {
      if (problems.containsKey(id)) {
        throw new IllegalArgumentException("plugin '" + id + "' both starts and has a problem");
      }
    }
  }

  /**
   * Tells why a plugin cannot start.
   *
   * @param pluginId the plugin's id
   * @return its problem, or null if it can start or is not in the input
   */
  @Nullable ResolutionProblem problem(String pluginId) {
    return problems.get(pluginId);
  }

  /**
   * Tells which plugins cannot start.
   *
   * @return their ids, in the order of {@link #problems()}
   */
  Set<String> unresolved() {
    return problems.keySet();
  }
}
