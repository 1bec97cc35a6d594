package dev.lintel.core.plugin;

import dev.lintel.core.plugin.ResolutionProblem.Cycle;
import dev.lintel.core.plugin.ResolutionProblem.DuplicateId;
import dev.lintel.core.plugin.ResolutionProblem.MalformedVersion;
import dev.lintel.core.plugin.ResolutionProblem.MissingDependency;
import dev.lintel.core.plugin.ResolutionProblem.UnresolvedDependency;
import dev.lintel.core.plugin.ResolutionProblem.VersionMismatch;
import dev.lintel.plugin.PluginDependency;
import dev.lintel.plugin.PluginDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Decides which plugins can start and in which order, from their descriptors alone: no class
 * loading, no state between calls, no logging. The same descriptors in any input order give the
 * same start order and the same problems (only the input positions a {@link DuplicateId} reports,
 * and which copy of a duplicate id stands for it, follow the input order).
 *
 * <p>A plugin cannot start, with the first of these that applies as its {@link ResolutionProblem}:
 *
 * <ol>
 *   <li>its id is declared more than once ({@link DuplicateId}; the first copy in the input stands
 *       for the id, the others are ignored);
 *   <li>one of its dependencies, checked in declaration order, is required and not installed
 *       ({@link MissingDependency}), or is installed (required or optional) in a version outside
 *       its range ({@link VersionMismatch}), or its range cannot be read ({@link
 *       MalformedVersion}); an optional dependency that is not installed is ignored;
 *   <li>it is on a cycle of installed dependencies among the plugins not failed so far ({@link
 *       Cycle}, with the shortest such cycle through it);
 *   <li>an installed dependency of it cannot start ({@link UnresolvedDependency}, naming the first
 *       such dependency in declaration order).
 * </ol>
 *
 * <p>The others start after every dependency they have installed (required or optional); among the
 * plugins whose dependencies have all started, the smallest id goes first, so the order does not
 * depend on how the plugins were found.
 *
 * <p>Thread-safe: it keeps nothing between calls. It never recurses along the dependency graph, so
 * long dependency chains cannot overflow the stack.
 */
final class PluginResolver {

  private PluginResolver() {}

  /**
   * Resolves a set of plugins.
   *
   * @param descriptors the plugins' descriptors, in the order they were found
   * @return the start order and every problem; each input id is in exactly one of the two
   * @throws NullPointerException if the list or one of its descriptors is null
   */
  static Resolution resolve(List<PluginDescriptor> descriptors) {
    Objects.requireNonNull(descriptors, "descriptors");
    Map<String, PluginDescriptor> plugins = new TreeMap<>();
    Map<String, List<Integer>> positions = new TreeMap<>();
    for (int i = 0; i < descriptors.size(); i++) {
      PluginDescriptor descriptor = Objects.requireNonNull(descriptors.get(i), "descriptor");
      plugins.putIfAbsent(descriptor.id(), descriptor);
      positions.computeIfAbsent(descriptor.id(), id -> new ArrayList<>()).add(i);
    }
    Map<String, List<String>> edges = installedDependencies(plugins);

    Map<String, ResolutionProblem> own = new TreeMap<>();
    for (PluginDescriptor descriptor : plugins.values()) {
      List<Integer> copies = positions.get(descriptor.id());
      ResolutionProblem problem =
          copies.size() > 1
              ? new DuplicateId(descriptor.id(), copies)
              : checkDependencies(descriptor, plugins);
      if (problem != null) {
        own.put(descriptor.id(), problem);
      }
    }
    Set<String> candidates = new TreeSet<>(plugins.keySet());
    candidates.removeAll(own.keySet());
    own.putAll(cycles(candidates, edges));
    candidates.removeAll(own.keySet());

    return order(candidates, edges, own);
  }

  /** The first problem with a plugin's own dependencies, or null. */
  private static @Nullable ResolutionProblem checkDependencies(
      PluginDescriptor descriptor, Map<String, PluginDescriptor> plugins) {
    String id = descriptor.id();
    for (PluginDependency dependency : descriptor.dependencies()) {
      PluginDescriptor target = plugins.get(dependency.id());
      if (target == null) {
        if (dependency.optional()) {
          continue;
        }
        return new MissingDependency(id, dependency);
      }
      VersionRange range;
      SemanticVersion version;
      try {
        range = VersionRange.parse(dependency.versionRange());
      } catch (IllegalArgumentException e) {
        return new MalformedVersion(id, dependency, reason(e));
      }
      try {
        version = SemanticVersion.parse(target.version());
      } catch (IllegalArgumentException e) {
        return new MalformedVersion(
            id, dependency, "version of plugin '" + target.id() + "': " + reason(e));
      }
      if (!range.contains(version)) {
        return new VersionMismatch(id, dependency, target.version());
      }
    }
    return null;
  }

  private static String reason(IllegalArgumentException e) {
    Throwable cause = e.getCause();
    return cause == null
        ? String.valueOf(e.getMessage())
        : e.getMessage() + ": " + cause.getMessage();
  }

  /** For each plugin, its installed dependencies (required or optional), once each, as declared. */
  private static Map<String, List<String>> installedDependencies(
      Map<String, PluginDescriptor> plugins) {
    Map<String, List<String>> edges = new HashMap<>();
    for (PluginDescriptor descriptor : plugins.values()) {
      Set<String> installed = new LinkedHashSet<>();
      for (PluginDependency dependency : descriptor.dependencies()) {
        if (plugins.containsKey(dependency.id())) {
          installed.add(dependency.id());
        }
      }
      edges.put(descriptor.id(), List.copyOf(installed));
    }
    return edges;
  }

  // ---------------------------------------------------------------------------------------------
  // Cycles

  /** A {@link Cycle} for every candidate on a dependency cycle among the candidates. */
  private static Map<String, ResolutionProblem> cycles(
      Set<String> candidates, Map<String, List<String>> edges) {
    Map<String, ResolutionProblem> found = new TreeMap<>();
    for (List<String> component : stronglyConnected(candidates, edges)) {
      String only = component.get(0);
      if (component.size() == 1 && !edges.get(only).contains(only)) {
        continue; // a single plugin that does not depend on itself is on no cycle
      }
      Set<String> members = new TreeSet<>(component);
      for (String member : members) {
        if (found.containsKey(member)) {
          continue;
        }
        List<String> path = shortestCycle(member, members, edges);
        List<String> ring = path.subList(0, path.size() - 1);
        for (int i = 0; i < ring.size(); i++) {
          String on = ring.get(i);
          if (!found.containsKey(on)) {
            List<String> rotated = new ArrayList<>(ring.subList(i, ring.size()));
            rotated.addAll(ring.subList(0, i));
            rotated.add(on);
            found.put(on, new Cycle(on, rotated));
          }
        }
      }
    }
    return found;
  }

  /** One step of the depth-first walk: a plugin and the dependencies still to visit. */
  private record Visit(String id, Iterator<String> next) {}

  /**
   * The strongly connected components of the dependency graph restricted to some plugins, by
   * Tarjan's algorithm with an explicit stack instead of recursion.
   */
  private static List<List<String>> stronglyConnected(
      Set<String> nodes, Map<String, List<String>> edges) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<List<String>> components = new ArrayList<>();
    Deque<Visit> visits = new ArrayDeque<>();
    for (String root : nodes) {
      if (index.containsKey(root)) {
        continue;
      }
      visits.push(enter(root, index, low, stack, onStack, edges));
      while (!visits.isEmpty()) {
        Visit visit = visits.peek();
        if (visit.next().hasNext()) {
          String next = visit.next().next();
          if (!nodes.contains(next)) {
            continue;
          }
          if (!index.containsKey(next)) {
            visits.push(enter(next, index, low, stack, onStack, edges));
          } else if (onStack.contains(next)) {
            low.merge(visit.id(), index.get(next), Math::min);
          }
          continue;
        }
        visits.pop();
        if (!visits.isEmpty()) {
          low.merge(visits.peek().id(), low.get(visit.id()), Math::min);
        }
        if (low.get(visit.id()).equals(index.get(visit.id()))) {
          List<String> component = new ArrayList<>();
          String member;
          do {
            member = stack.pop();
            onStack.remove(member);
            component.add(member);
          } while (!member.equals(visit.id()));
          components.add(component);
        }
      }
    }
    return components;
  }

  private static Visit enter(
      String id,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      Map<String, List<String>> edges) {
    int number = index.size();
    index.put(id, number);
    low.put(id, number);
    stack.push(id);
    onStack.add(id);
    return new Visit(id, edges.get(id).iterator());
  }

  /**
   * The shortest cycle from a plugin back to itself within a strongly connected component, by a
   * breadth-first walk that takes dependencies in declaration order: {@code [a, b, c, a]}.
   */
  private static List<String> shortestCycle(
      String start, Set<String> component, Map<String, List<String>> edges) {
    Map<String, String> reachedFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String id = queue.poll();
      for (String next : edges.get(id)) {
        if (next.equals(start)) {
          List<String> path = new ArrayList<>();
          for (String step = id; !step.equals(start); step = reachedFrom.get(step)) {
            path.add(step);
          }
          path.add(start);
          Collections.reverse(path);
          path.add(start);
          return path;
        }
        if (component.contains(next) && !reachedFrom.containsKey(next)) {
          reachedFrom.put(next, id);
          queue.add(next);
        }
      }
    }
    throw new IllegalStateException("no cycle through '" + start + "' in " + component);
  }

  // ---------------------------------------------------------------------------------------------
  // Order

  /**
   * Kahn's algorithm over the plugins on no cycle, smallest id first. A plugin whose turn comes
   * while one of its dependencies cannot start cannot start either; either way its dependents move
   * on, so the problems come out after the problems they name.
   */
  private static Resolution order(
      Set<String> candidates, Map<String, List<String>> edges, Map<String, ResolutionProblem> own) {
    Map<String, List<String>> dependents = new HashMap<>();
    Map<String, Integer> waiting = new HashMap<>();
    PriorityQueue<String> ready = new PriorityQueue<>();
    for (String id : candidates) {
      int count = 0;
      for (String dependency : edges.get(id)) {
        if (candidates.contains(dependency)) {
          dependents.computeIfAbsent(dependency, d -> new ArrayList<>()).add(id);
          count++;
        }
      }
      waiting.put(id, count);
      if (count == 0) {
        ready.add(id);
      }
    }
    List<String> startOrder = new ArrayList<>();
    Map<String, ResolutionProblem> problems = new LinkedHashMap<>(own);
    while (!ready.isEmpty()) {
      String id = ready.poll();
      String blocker = null;
      for (String dependency : edges.get(id)) {
        if (problems.containsKey(dependency)) {
          blocker = dependency;
          break;
        }
      }
      if (blocker == null) {
        startOrder.add(id);
      } else {
        problems.put(id, new UnresolvedDependency(id, blocker));
      }
      for (String dependent : dependents.getOrDefault(id, List.of())) {
        if (waiting.merge(dependent, -1, Integer::sum) == 0) {
          ready.add(dependent);
        }
      }
    }
    if (startOrder.size() + problems.size() != candidates.size() + own.size()) {
      throw new IllegalStateException("plugins left unordered: " + waiting);
    }
    return new Resolution(startOrder, problems);
  }
}
