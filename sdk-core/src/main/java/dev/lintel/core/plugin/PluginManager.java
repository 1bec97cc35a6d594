package dev.lintel.core.plugin;

import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.core.plugin.ResolutionProblem.DuplicateId;
import dev.lintel.core.plugin.ResolutionProblem.UnresolvedDependency;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.gateway.Filter;
import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import dev.lintel.health.HealthChecks;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginDependency;
import dev.lintel.plugin.PluginDescriptor;
import dev.lintel.plugin.PluginException;
import dev.lintel.plugin.PluginState;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins, resolves their dependencies, starts them in dependency order and stops them in
 * reverse.
 *
 * <pre>{@code
 * PluginManager plugins = PluginManager.builder()
 *     .classpath()                                  // ServiceLoader on the host's class path
 *     .directory(Path.of("plugins"))                // each jar in its own class loader
 *     .config("rate-limit", Map.of("per-second", "100"))
 *     .build();                                     // finds and resolves the plugins
 * Lintel.builder().plugins(plugins).build().start();
 * }</pre>
 *
 * <p><b>Discovery and resolution</b> happen in {@link Builder#build()}, before anything starts. A
 * duplicate id, a missing required dependency, a version outside a dependency's range, a dependency
 * cycle (reported with its path) and a dependency that cannot start itself mark the plugins
 * involved {@link PluginState#FAILED} with a {@link PluginException} naming the others; the rest
 * are {@link PluginState#RESOLVED}. Independent plugins start in the order of their ids, so the
 * order is the same on every run.
 *
 * <p><b>Isolation</b>: a plugin that throws from {@code start} is FAILED with its cause and its
 * registrations are undone; its dependents are not started; the others run. {@link #healthCheck()}
 * is DEGRADED while any plugin is FAILED (never DOWN: the host works). A jar plugin loads in its
 * own {@code PluginClassLoader} (the SDK API from the host, its own libraries first); {@link
 * #unload} stops it and its dependents and closes the loader.
 *
 * <p>Thread-safe: its operations are serialized.
 */
public final class PluginManager {
  private static final Logger log = LoggerFactory.getLogger(PluginManager.class);

  private final Map<String, Map<String, String>> configs;
  private final List<String> required;
  private final Map<String, Entry> entries = new TreeMap<>();
  private final List<String> startOrder;
  private final PluginFilters filters = new PluginFilters();
  private @Nullable PluginHost host;

  /** One plugin and what the manager knows of it. */
  private static final class Entry {
    final Plugin plugin;
    final PluginDescriptor descriptor;
    final @Nullable PluginClassLoader loader;
    volatile @Nullable ManagedPluginContext context;
    volatile PluginState state = PluginState.CREATED;
    volatile @Nullable PluginException failure;

    Entry(DiscoveredPlugin found) {
      this.plugin = found.plugin();
      this.descriptor = found.descriptor();
      this.loader = found.loader();
    }
  }

  private PluginManager(Builder builder, List<DiscoveredPlugin> found) {
    this.configs = Map.copyOf(builder.configs);
    this.required = List.copyOf(builder.required);
    if (!required.isEmpty()) {
      filters.close("required plugins " + required + " have not started yet");
    }
    for (DiscoveredPlugin plugin : found) {
      entries.putIfAbsent(plugin.descriptor().id(), new Entry(plugin));
    }
    closeLoadersOfIgnoredCopies(found);
    Resolution resolution =
        PluginResolver.resolve(found.stream().map(DiscoveredPlugin::descriptor).toList());
    for (ResolutionProblem problem : resolution.problems().values()) {
      Entry entry = entries.get(problem.pluginId());
      if (problem instanceof UnresolvedDependency unresolved) {
        Entry dependency = entries.get(unresolved.dependencyId());
        fail(
            entry,
            "Plugin '"
                + entry.descriptor.id()
                + "' cannot start: its dependency '"
                + unresolved.dependencyId()
                + "' is "
                + dependency.state,
            dependency.failure);
      } else if (problem instanceof DuplicateId duplicate) {
        fail(
            entry,
            "Plugin id '"
                + duplicate.pluginId()
                + "' is declared more than once: "
                + duplicate.positions().stream()
                    .map(position -> found.get(position).origin())
                    .collect(Collectors.joining(", ")),
            null);
      } else {
        fail(entry, problem.message(), null);
      }
    }
    this.startOrder = new ArrayList<>(resolution.startOrder());
    for (String id : startOrder) {
      entries.get(id).state = PluginState.RESOLVED;
    }
  }

  /** The second and later copies of a duplicate id are dropped; so are their jars' loaders. */
  private void closeLoadersOfIgnoredCopies(List<DiscoveredPlugin> found) {
    Set<PluginClassLoader> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    entries.values().stream()
        .map(entry -> entry.loader)
        .filter(Objects::nonNull)
        .forEach(kept::add);
    for (DiscoveredPlugin plugin : found) {
      PluginClassLoader loader = plugin.loader();
      if (loader != null && kept.add(loader)) {
        DiscoveredPlugin.closeQuietly(loader);
      }
    }
  }

  /**
   * Starts describing where plugins come from.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Starts every resolved plugin in dependency order, registering their extensions with the host.
   *
   * @param commands the host's command bus
   * @param queries the host's query bus
   * @param health the host's health registry
   * @throws PluginException if a {@linkplain Builder#require required} plugin did not start; the
   *     plugins that did are stopped again
   */
  public void start(CommandBus commands, QueryBus queries, HealthChecks health) {
    start(commands, queries, health, null);
  }

  /**
   * Starts every resolved plugin in dependency order, registering their extensions with the host,
   * including projections.
   *
   * @param commands the host's command bus
   * @param queries the host's query bus
   * @param health the host's health registry
   * @param projections builds the runner of a plugin's projection on the host's event store and
   *     checkpoint store; null if the host runs none
   * @throws PluginException if a {@linkplain Builder#require required} plugin did not start; the
   *     plugins that did are stopped again
   */
  public synchronized void start(
      CommandBus commands,
      QueryBus queries,
      HealthChecks health,
      @Nullable Function<Projection, ProjectionRunner> projections) {
    this.host = new PluginHost(commands, queries, health, projections);
    for (String id : startOrder) {
      startOne(entries.get(id));
    }
    long started = entries.values().stream().filter(e -> e.state == PluginState.STARTED).count();
    log.info("Plugins: {} started, {} failed", started, entries.size() - started);
    for (String id : required) {
      Entry entry = entries.get(id);
      if (entry == null || entry.state != PluginState.STARTED) {
        String why =
            entry == null
                ? "it is not installed; installed: " + entries.keySet()
                : "it is "
                    + entry.state
                    + (entry.failure == null ? "" : ": " + entry.failure.getMessage());
        stop();
        filters.close("required plugin '" + id + "' did not start");
        throw new PluginException(
            id,
            "Required plugin '" + id + "' did not start, so no plugin runs: " + why,
            entry == null ? null : entry.failure);
      }
    }
    filters.open();
  }

  private void startOne(Entry entry) {
    if (entry.state != PluginState.RESOLVED && entry.state != PluginState.STOPPED) {
      return;
    }
    for (String dependency : present(entry)) {
      Entry needed = entries.get(dependency);
      if (needed.state != PluginState.STARTED) {
        fail(
            entry,
            "Plugin '"
                + entry.descriptor.id()
                + "' was not started: its dependency '"
                + dependency
                + "' is "
                + needed.state,
            needed.failure);
        return;
      }
    }
    PluginHost current = Objects.requireNonNull(host, "start the manager first");
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try {
      if (entry.loader != null) {
        thread.setContextClassLoader(entry.loader);
      }
      String id = entry.descriptor.id();
      ManagedPluginContext context =
          new ManagedPluginContext(
              id, configs.getOrDefault(id, Map.of()), entry.loader, current, filters);
      entry.context = context;
      entry.plugin.start(context);
      entry.state = PluginState.STARTED;
      log.info("Plugin '{}' {} started", id, entry.descriptor.version());
    } catch (Exception | LinkageError e) {
      undoRegistrations(entry);
      fail(entry, "Plugin '" + entry.descriptor.id() + "' failed to start: " + e, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /**
   * Stops the started plugins in reverse start order, undoing each one's registrations before it
   * stops (so no new work reaches a stopping plugin). With required plugins, the plugins' filters
   * then answer 503.
   */
  public synchronized void stop() {
    if (!required.isEmpty()) {
      filters.close("plugins are stopped");
    }
    List<String> reversed = new ArrayList<>(startOrder);
    Collections.reverse(reversed);
    for (String id : reversed) {
      stopOne(entries.get(id));
    }
  }

  private void stopOne(Entry entry) {
    if (entry.state != PluginState.STARTED) {
      return;
    }
    undoRegistrations(entry);
    try {
      entry.plugin.stop();
    } catch (Exception | LinkageError e) {
      log.warn("Plugin '{}' failed while stopping", entry.descriptor.id(), e);
    }
    entry.state = PluginState.STOPPED;
    log.info("Plugin '{}' stopped", entry.descriptor.id());
  }

  /**
   * Unloads a plugin: stops the started plugins that depend on it, directly or through others (in
   * reverse start order), stops it, undoes its registrations and, for a jar plugin, closes its
   * class loader once no other plugin of the same jar is still loaded.
   *
   * <p>Requests already inside the plugin's filter finish with the classes they have loaded; a
   * class first needed after the loader closed fails that request.
   *
   * @param id the plugin's id
   * @throws PluginException if no plugin has that id, or if the plugin is {@linkplain
   *     Builder#require required}
   */
  public synchronized void unload(String id) {
    Entry entry = entries.get(id);
    if (entry == null) {
      throw new PluginException(
          id, "No plugin '" + id + "' is loaded; loaded: " + entries.keySet(), null);
    }
    if (required.contains(id)) {
      throw new PluginException(
          id, "Plugin '" + id + "' is required: the host cannot run without it", null);
    }
    Set<String> dependents = dependentsOf(id);
    List<String> reversed = new ArrayList<>(startOrder);
    Collections.reverse(reversed);
    for (String other : reversed) {
      if (dependents.contains(other)) {
        stopOne(entries.get(other));
      }
    }
    stopOne(entry);
    entries.remove(id);
    startOrder.remove(id);
    // A jar may hold several plugins sharing one loader: close it with the last of them.
    if (entries.values().stream().noneMatch(other -> other.loader == entry.loader)) {
      DiscoveredPlugin.closeQuietly(entry.loader);
    }
    log.info("Plugin '{}' unloaded", id);
  }

  /**
   * The plugins that depend on one, directly or through others. Each plugin is visited once, so the
   * walk ends on dependency cycles (plugins on one are FAILED, but still installed).
   */
  private Set<String> dependentsOf(String id) {
    Set<String> dependents = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(id));
    while (!todo.isEmpty()) {
      String needed = todo.pop();
      for (Entry other : entries.values()) {
        String otherId = other.descriptor.id();
        if (!otherId.equals(id) && present(other).contains(needed) && dependents.add(otherId)) {
          todo.push(otherId);
        }
      }
    }
    return dependents;
  }

  /** The ids of the dependencies of a plugin that are installed (required or optional). */
  private List<String> present(Entry entry) {
    List<String> ids = new ArrayList<>();
    for (PluginDependency dependency : entry.descriptor.dependencies()) {
      if (entries.containsKey(dependency.id())) {
        ids.add(dependency.id());
      }
    }
    return ids;
  }

  private void undoRegistrations(Entry entry) {
    ManagedPluginContext context = entry.context;
    if (context != null) {
      context.close();
    }
  }

  private void fail(Entry entry, String message, @Nullable Throwable cause) {
    entry.state = PluginState.FAILED;
    entry.failure = new PluginException(entry.descriptor.id(), message, cause);
    log.error(message, cause);
  }

  // ---------------------------------------------------------------------------------------------
  // Observation

  /**
   * Tells the state of every plugin, by id.
   *
   * @return the states, in start order first
   */
  public synchronized Map<String, PluginState> states() {
    Map<String, PluginState> states = new LinkedHashMap<>();
    startOrder.forEach(id -> states.put(id, entries.get(id).state));
    entries.forEach((id, entry) -> states.putIfAbsent(id, entry.state));
    return states;
  }

  /**
   * Hands out the request filters the plugins contribute, as one filter for the host to place in
   * its pipeline: {@code Pipeline.builder().filter(plugins.filters())}. It follows plugins as they
   * start, stop and unload; with no plugin filters it passes requests straight on.
   *
   * @return the plugins' filters
   */
  public Filter filters() {
    return filters;
  }

  /**
   * Tells which plugin filters run now, in order.
   *
   * @return {@code pluginId:filterName} of each
   */
  public List<String> filterNames() {
    return filters.names();
  }

  /**
   * Tells the order plugins start in: the plugins that resolved, each after its installed
   * dependencies, ties by id.
   *
   * @return the ids
   */
  public synchronized List<String> startOrder() {
    return List.copyOf(startOrder);
  }

  /**
   * Tells why a plugin failed.
   *
   * @param id the plugin's id
   * @return its failure, naming the plugins involved, or null
   */
  public synchronized @Nullable PluginException failure(String id) {
    Entry entry = entries.get(id);
    return entry == null ? null : entry.failure;
  }

  /**
   * Reports the plugins: DOWN while their filters refuse requests (required plugins not running),
   * DEGRADED naming the failed ones if any failed, UP otherwise.
   *
   * @return a health check for readiness
   */
  public HealthCheck healthCheck() {
    return () -> {
      Map<String, PluginState> states = states();
      String refusing = filters.closedBecause();
      if (refusing != null) {
        return Health.down("plugin filters refuse requests: " + refusing + "; all: " + states);
      }
      List<String> failed =
          states.entrySet().stream()
              .filter(e -> e.getValue() == PluginState.FAILED)
              .map(Map.Entry::getKey)
              .toList();
      return failed.isEmpty()
          ? Health.up(states.size() + " plugin(s): " + states)
          : Health.degraded("failed plugins " + failed + "; all: " + states);
    };
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Says where plugins come from and how they are configured. The setters only record; the plugins
   * are found, in the order their sources were added, when {@link #build()} runs. Not thread-safe;
   * build once.
   */
  public static final class Builder {
    private final List<PluginSource> sources = new ArrayList<>();
    private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    private Builder() {}

    /**
     * Adds the plugins {@link ServiceLoader} finds through the calling thread's context class
     * loader (as it is now), when {@link #build()} runs.
     *
     * @return this builder
     */
    public Builder classpath() {
      return classpath(Thread.currentThread().getContextClassLoader());
    }

    /**
     * Adds the plugins {@link ServiceLoader} finds through a class loader, when {@link #build()}
     * runs. If a listed plugin class cannot be loaded or created, {@code build()} throws.
     *
     * @param loader the class loader
     * @return this builder
     * @throws NullPointerException if the loader is null
     */
    public Builder classpath(ClassLoader loader) {
      sources.add(PluginSource.classpath(loader));
      return this;
    }

    /**
     * Adds the plugins of every {@code *.jar} in a directory, each jar in its own class loader,
     * when {@link #build()} runs. A jar whose plugins cannot be loaded is skipped with an error
     * naming it; the others load. If the directory cannot be listed, {@code build()} throws.
     *
     * @param directory the directory
     * @return this builder
     * @throws NullPointerException if the directory is null
     */
    public Builder directory(Path directory) {
      sources.add(PluginSource.directory(directory));
      return this;
    }

    /**
     * Adds a plugin object, for hosts that build their plugins themselves. Its descriptor is read
     * when {@link #build()} runs.
     *
     * @param plugin the plugin
     * @return this builder
     * @throws NullPointerException if the plugin is null
     */
    public Builder plugin(Plugin plugin) {
      sources.add(PluginSource.of(plugin));
      return this;
    }

    /**
     * Gives a plugin its configuration section.
     *
     * @param pluginId the plugin's id
     * @param section its settings
     * @return this builder
     * @throws NullPointerException if the id, the section or one of its keys or values is null
     */
    public Builder config(String pluginId, Map<String, String> section) {
      configs.put(Objects.requireNonNull(pluginId, "pluginId"), Map.copyOf(section));
      return this;
    }

    /**
     * Makes plugins required: if one of them is missing or does not start, {@code start} stops the
     * others and throws, so that a host never runs without, say, its authentication plugin. Until
     * they all started, and after {@code stop}, the plugins' {@linkplain PluginManager#filters()
     * filters} answer every request with a 503; a required plugin cannot be unloaded.
     *
     * @param pluginIds the ids of the required plugins
     * @return this builder
     * @throws NullPointerException if an id is null
     */
    public Builder require(String... pluginIds) {
      for (String id : pluginIds) {
        required.add(Objects.requireNonNull(id, "pluginId"));
      }
      return this;
    }

    /**
     * Finds the plugins of every source, in the order the sources were added, and resolves them;
     * nothing starts yet. Plugins that cannot be resolved are {@link PluginState#FAILED} in the
     * manager, not thrown.
     *
     * @return the manager
     * @throws PluginException if a plugin listed for {@link ServiceLoader} on the class path cannot
     *     be loaded or created, if a plugin's {@code descriptor()} throws or returns null, or if a
     *     plugin directory cannot be listed; the jar class loaders opened so far are closed again
     */
    public PluginManager build() {
      List<DiscoveredPlugin> found = new ArrayList<>();
      try {
        for (PluginSource source : sources) {
          found.addAll(source.discover());
        }
      } catch (RuntimeException | Error e) {
        found.stream()
            .map(DiscoveredPlugin::loader)
            .distinct()
            .forEach(DiscoveredPlugin::closeQuietly);
        throw e;
      }
      return new PluginManager(this, found);
    }
  }
}
