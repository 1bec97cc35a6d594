package dev.lintel.core.plugin;

import dev.lintel.Registration;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.CommandHandler;
import dev.lintel.cqrs.Query;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.cqrs.QueryHandler;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.gateway.Filter;
import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import dev.lintel.health.HealthChecks;
import dev.lintel.health.HealthGroup;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDependency;
import dev.lintel.plugin.PluginDescriptor;
import dev.lintel.plugin.PluginException;
import dev.lintel.plugin.PluginState;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
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
 *     .build();
 * Lintel.builder().plugins(plugins).build().start();
 * }</pre>
 *
 * <p><b>Resolution</b> happens before anything starts. A duplicate id, a missing required
 * dependency, a version outside a dependency's range and a dependency cycle (reported with its
 * path) mark the plugins involved {@link PluginState#FAILED} with a {@link PluginException} naming
 * the others; plugins that depend on a failed one fail too; the rest start. Independent plugins
 * start in the order of their ids, so the order is the same on every run.
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
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final List<String> startOrder = new ArrayList<>();
  private final PluginFilters filters = new PluginFilters();
  private @Nullable Host host;

  /** One plugin and what the manager knows of it. */
  private static final class Entry {
    final Plugin plugin;
    final PluginDescriptor descriptor;
    final String origin;
    final @Nullable PluginClassLoader loader;
    volatile @Nullable Context context;
    volatile PluginState state = PluginState.CREATED;
    volatile @Nullable PluginException failure;

    Entry(
        Plugin plugin,
        PluginDescriptor descriptor,
        String origin,
        @Nullable PluginClassLoader loader) {
      this.plugin = plugin;
      this.descriptor = descriptor;
      this.origin = origin;
      this.loader = loader;
    }
  }

  private record Host(
      CommandBus commands,
      QueryBus queries,
      HealthChecks health,
      @Nullable Function<Projection, ProjectionRunner> projections) {}

  private PluginManager(Builder builder) {
    this.configs = Map.copyOf(builder.configs);
    this.required = List.copyOf(builder.required);
    if (!required.isEmpty()) {
      filters.close("required plugins " + required + " have not started yet");
    }
    Map<String, List<Entry>> byId = new TreeMap<>();
    for (Entry entry : builder.found) {
      byId.computeIfAbsent(entry.descriptor.id(), id -> new ArrayList<>()).add(entry);
    }
    for (Map.Entry<String, List<Entry>> same : byId.entrySet()) {
      Entry first = same.getValue().get(0);
      entries.put(same.getKey(), first);
      if (same.getValue().size() > 1) {
        fail(
            first,
            "Plugin id '"
                + same.getKey()
                + "' is declared more than once: "
                + same.getValue().stream().map(e -> e.origin).collect(Collectors.joining(", ")),
            null);
      }
    }
    resolve();
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
  // Resolution

  private void resolve() {
    for (Entry entry : entries.values()) {
      if (entry.state == PluginState.FAILED) {
        continue;
      }
      for (PluginDependency dependency : entry.descriptor.dependencies()) {
        Entry target = entries.get(dependency.id());
        if (target == null) {
          if (!dependency.optional()) {
            fail(
                entry,
                "Plugin '"
                    + entry.descriptor.id()
                    + "' needs plugin '"
                    + dependency.id()
                    + "' "
                    + dependency.versionRange()
                    + ", which is not installed",
                null);
          }
          continue;
        }
        VersionRange range;
        try {
          range = VersionRange.parse(dependency.versionRange());
        } catch (IllegalArgumentException e) {
          fail(entry, "Plugin '" + entry.descriptor.id() + "': " + e.getMessage(), e);
          continue;
        }
        SemanticVersion version = SemanticVersion.parse(target.descriptor.version());
        if (!range.contains(version)) {
          fail(
              entry,
              "Plugin '"
                  + entry.descriptor.id()
                  + "' needs plugin '"
                  + dependency.id()
                  + "' "
                  + range
                  + ", but version "
                  + version
                  + " is installed",
              null);
        }
      }
    }
    order();
    for (Entry entry : entries.values()) {
      if (entry.state == PluginState.CREATED) {
        entry.state = PluginState.RESOLVED;
      }
    }
  }

  /** Kahn's algorithm, smallest id first; what cannot be ordered is in (or behind) a cycle. */
  private void order() {
    startOrder.clear();
    PriorityQueue<String> ready = new PriorityQueue<>();
    Map<String, Integer> waitingFor = new TreeMap<>();
    for (Entry entry : entries.values()) {
      if (entry.state == PluginState.FAILED) {
        continue;
      }
      int count = 0;
      for (String dependency : present(entry)) {
        count += entries.get(dependency).state == PluginState.FAILED ? 0 : 1;
      }
      waitingFor.put(entry.descriptor.id(), count);
      if (count == 0) {
        ready.add(entry.descriptor.id());
      }
    }
    while (!ready.isEmpty()) {
      String id = ready.poll();
      startOrder.add(id);
      for (Entry other : entries.values()) {
        String otherId = other.descriptor.id();
        if (waitingFor.containsKey(otherId) && present(other).contains(id)) {
          int left = waitingFor.merge(otherId, -1, Integer::sum);
          if (left == 0) {
            ready.add(otherId);
          }
        }
      }
    }
    for (String id : waitingFor.keySet()) {
      if (!startOrder.contains(id) && entries.get(id).state != PluginState.FAILED) {
        List<String> cycle = cycleFrom(id);
        if (!cycle.isEmpty()) {
          String path = String.join(" -> ", cycle);
          for (String member : cycle) {
            fail(entries.get(member), "Plugins depend on each other in a cycle: " + path, null);
          }
        }
      }
    }
    // Plugins behind a cycle (depending on a member) are still unordered: they fail at start.
    for (String id : waitingFor.keySet()) {
      if (!startOrder.contains(id) && entries.get(id).state != PluginState.FAILED) {
        startOrder.add(id);
      }
    }
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

  /** A dependency cycle reachable from a plugin, as a closed path, or empty. */
  private List<String> cycleFrom(String start) {
    Deque<String> path = new ArrayDeque<>();
    return walk(start, path, new java.util.HashSet<>());
  }

  private List<String> walk(String id, Deque<String> path, Set<String> done) {
    if (path.contains(id)) {
      List<String> walked = new ArrayList<>(); // oldest step first
      path.descendingIterator().forEachRemaining(walked::add);
      List<String> cycle = new ArrayList<>(walked.subList(walked.indexOf(id), walked.size()));
      cycle.add(id);
      return cycle;
    }
    if (!done.add(id)) {
      return List.of();
    }
    path.push(id);
    for (String next : present(entries.get(id))) {
      List<String> cycle = walk(next, path, done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.pop();
    return List.of();
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
    this.host = new Host(commands, queries, health, projections);
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
    Host current = Objects.requireNonNull(host, "start the manager first");
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try {
      if (entry.loader != null) {
        thread.setContextClassLoader(entry.loader);
      }
      Context context = new Context(entry, current);
      entry.context = context;
      entry.plugin.start(context);
      entry.state = PluginState.STARTED;
      log.info("Plugin '{}' {} started", entry.descriptor.id(), entry.descriptor.version());
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
   * Unloads a plugin: stops the started plugins that depend on it (in reverse order), stops it,
   * undoes its registrations and, for a jar plugin, closes its class loader.
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
    List<String> reversed = new ArrayList<>(startOrder);
    Collections.reverse(reversed);
    for (String other : reversed) {
      if (dependsOn(other, id)) {
        stopOne(entries.get(other));
      }
    }
    stopOne(entry);
    entries.remove(id);
    startOrder.remove(id);
    if (entry.loader != null) {
      try {
        entry.loader.close();
      } catch (IOException e) {
        log.warn("Closing the class loader of plugin '{}' failed", id, e);
      }
    }
    log.info("Plugin '{}' unloaded", id);
  }

  private boolean dependsOn(String id, String target) {
    Entry entry = entries.get(id);
    if (entry == null || id.equals(target)) {
      return false;
    }
    for (String dependency : present(entry)) {
      if (dependency.equals(target) || dependsOn(dependency, target)) {
        return true;
      }
    }
    return false;
  }

  private void undoRegistrations(Entry entry) {
    Context context = entry.context;
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
   * Tells the order plugins start in.
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
   * What a plugin sees of the host, from one start to the next stop; records what it registers and
   * refuses registrations once closed (a plugin's thread may still try after it stopped).
   */
  private final class Context implements PluginContext {
    private final Entry entry;
    private final Host host;
    private final List<Registration> registrations = new ArrayList<>();
    private boolean closed;

    Context(Entry entry, Host host) {
      this.entry = entry;
      this.host = host;
    }

    private synchronized void keep(Supplier<Registration> register) {
      if (closed) {
        throw new PluginException(
            entry.descriptor.id(),
            "Plugin '" + entry.descriptor.id() + "' is not running; it cannot register anything",
            null);
      }
      registrations.add(register.get());
    }

    /** Undoes every registration, in the order they were made, and refuses new ones. */
    synchronized void close() {
      closed = true;
      for (Registration registration : registrations) {
        try {
          registration.close();
        } catch (RuntimeException e) {
          log.warn("Undoing a registration of plugin '{}' failed", entry.descriptor.id(), e);
        }
      }
      registrations.clear();
    }

    @Override
    public String pluginId() {
      return entry.descriptor.id();
    }

    @Override
    public Map<String, String> config() {
      return configs.getOrDefault(entry.descriptor.id(), Map.of());
    }

    @Override
    public CommandBus commands() {
      return host.commands();
    }

    @Override
    public QueryBus queries() {
      return host.queries();
    }

    @Override
    public <C extends Command<R>, R> void handle(Class<C> type, CommandHandler<C, R> handler) {
      keep(() -> host.commands().register(type, handler));
    }

    @Override
    public <Q extends Query<R>, R> void answer(Class<Q> type, QueryHandler<Q, R> handler) {
      keep(() -> host.queries().register(type, handler));
    }

    @Override
    public void healthCheck(String name, HealthCheck check) {
      keep(
          () ->
              host.health()
                  .register(
                      "plugin:" + entry.descriptor.id() + ":" + name,
                      Set.of(HealthGroup.READINESS),
                      check));
    }

    @Override
    public void filter(String name, int order, Filter filter) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(filter, "filter");
      keep(() -> filters.add(entry.descriptor.id(), name, order, filter, entry.loader));
    }

    @Override
    public void projection(Projection projection) {
      Objects.requireNonNull(projection, "projection");
      Function<Projection, ProjectionRunner> runners = host.projections();
      if (runners == null) {
        throw new PluginException(
            entry.descriptor.id(),
            "Plugin '"
                + entry.descriptor.id()
                + "' contributes projection '"
                + projection.name()
                + "', but the host runs no event store",
            null);
      }
      ProjectionRunner runner = runners.apply(projection);
      keep(
          () -> {
            runner.start();
            return runner::stop;
          });
      healthCheck("projection:" + projection.name(), runner.health());
    }
  }

  /** Says where plugins come from. Not thread-safe; build once. */
  public static final class Builder {
    private final List<Entry> found = new ArrayList<>();
    private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    private Builder() {}

    /**
     * Adds the plugins {@link ServiceLoader} finds on the host's class path.
     *
     * @return this builder
     * @throws PluginException if a listed plugin class cannot be loaded or created
     */
    public Builder classpath() {
      return classpath(Thread.currentThread().getContextClassLoader());
    }

    /**
     * Adds the plugins {@link ServiceLoader} finds through a class loader.
     *
     * @param loader the class loader
     * @return this builder
     * @throws PluginException if a listed plugin class cannot be loaded or created
     */
    public Builder classpath(ClassLoader loader) {
      for (Plugin plugin : load(ServiceLoader.load(Plugin.class, loader), "class path")) {
        add(plugin, "class path (" + plugin.getClass().getName() + ")", null);
      }
      return this;
    }

    /**
     * Adds the plugins of every {@code *.jar} in a directory, each jar in its own class loader. A
     * jar whose plugins cannot be loaded is skipped with an error naming it; the others load.
     *
     * @param directory the directory
     * @return this builder
     * @throws PluginException if the directory cannot be listed
     */
    public Builder directory(Path directory) {
      List<Path> jars = new ArrayList<>();
      try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory, "*.jar")) {
        listing.forEach(jars::add);
      } catch (IOException e) {
        throw new PluginException("-", "Cannot list plugin directory " + directory, e);
      }
      Collections.sort(jars);
      ClassLoader host = PluginManager.class.getClassLoader();
      for (Path jar : jars) {
        PluginClassLoader loader;
        try {
          loader = new PluginClassLoader("plugin:" + jar.getFileName(), jar.toUri().toURL(), host);
        } catch (MalformedURLException e) {
          throw new PluginException("-", "Bad plugin jar path " + jar, e);
        }
        List<Plugin> plugins;
        try {
          plugins =
              load(ServiceLoader.load(Plugin.class, loader), jar.getFileName().toString()).stream()
                  .filter(plugin -> plugin.getClass().getClassLoader() == loader)
                  .toList();
        } catch (PluginException e) {
          log.error("Skipping plugin jar {}: {}", jar, e.getMessage(), e);
          closeQuietly(loader);
          continue;
        }
        if (plugins.isEmpty()) {
          log.warn("Plugin jar {} declares no plugin in META-INF/services", jar);
          closeQuietly(loader);
        }
        for (Plugin plugin : plugins) {
          add(plugin, "jar " + jar.getFileName(), loader);
        }
      }
      return this;
    }

    /**
     * Adds a plugin object, for hosts that build their plugins themselves.
     *
     * @param plugin the plugin
     * @return this builder
     */
    public Builder plugin(Plugin plugin) {
      return add(Objects.requireNonNull(plugin, "plugin"), "added by the host", null);
    }

    /**
     * Gives a plugin its configuration section.
     *
     * @param pluginId the plugin's id
     * @param section its settings
     * @return this builder
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
     */
    public Builder require(String... pluginIds) {
      for (String id : pluginIds) {
        required.add(Objects.requireNonNull(id, "pluginId"));
      }
      return this;
    }

    private Builder add(Plugin plugin, String origin, @Nullable PluginClassLoader loader) {
      PluginDescriptor descriptor;
      try {
        descriptor = Objects.requireNonNull(plugin.descriptor(), "descriptor");
      } catch (RuntimeException | LinkageError e) {
        throw new PluginException(
            "-",
            "Plugin " + plugin.getClass().getName() + " from " + origin + " has no descriptor",
            e);
      }
      found.add(new Entry(plugin, descriptor, origin, loader));
      return this;
    }

    private static List<Plugin> load(ServiceLoader<Plugin> services, String origin) {
      List<Plugin> plugins = new ArrayList<>();
      try {
        for (Plugin plugin : services) {
          plugins.add(plugin);
        }
      } catch (ServiceConfigurationError e) {
        throw new PluginException(
            "-", "Plugins from " + origin + " cannot be loaded: " + e.getMessage(), e);
      }
      return plugins;
    }

    private static void closeQuietly(PluginClassLoader loader) {
      try {
        loader.close();
      } catch (IOException e) {
        log.debug("Closing a plugin class loader failed", e);
      }
    }

    /**
     * Resolves the plugins found; nothing starts yet.
     *
     * @return the manager
     */
    public PluginManager build() {
      return new PluginManager(this);
    }
  }
}
