package dev.lintel.core;

import dev.lintel.Lifecycle;
import dev.lintel.LintelException;
import dev.lintel.ShuttingDownException;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.cqrs.LocalQueryBus;
import dev.lintel.core.eventsourcing.InMemoryCheckpointStore;
import dev.lintel.core.eventsourcing.InMemoryEventStore;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.core.health.HealthRegistry;
import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.core.plugin.PluginManager;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.eventsourcing.CheckpointStore;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.health.Health;
import dev.lintel.health.HealthGroup;
import dev.lintel.health.HealthReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime a host application starts from: it owns the lifecycle of Lintel's components and
 * hands them out.
 *
 * <pre>{@code
 * try (Lintel lintel = Lintel.builder().shutdownTimeout(Duration.ofSeconds(20)).build().start()) {
 *   lintel.commands().register(PlaceOrder.class, command -> orders.place(command));
 *   OrderId id = lintel.commands().send(new PlaceOrder(customer, items));
 * }
 * }</pre>
 *
 * <p><b>Start</b> starts the added {@link Lifecycle} components in the order they were added; if
 * one fails, those already started are stopped again in reverse order and {@link #start()} throws.
 *
 * <p><b>Graceful shutdown</b> ({@link #close()}, or the JVM shutdown hook when enabled) runs in
 * this order: readiness turns DOWN; the buses refuse new commands and queries with {@link
 * ShuttingDownException}; commands and queries in flight are waited for up to the shutdown timeout;
 * then components stop in reverse start order, each told what is left of that timeout ({@link
 * Lifecycle#stop(Duration)}), so a pipeline drains up to the same deadline. Nothing that was
 * accepted is dropped silently: it either completes, or is still running when the timeout passes,
 * which is logged with the count.
 *
 * <p>Health stays answerable after shutdown, so probes see readiness DOWN rather than an error; its
 * check threads are daemons that end when idle.
 *
 * <p>Thread-safe. {@link #close()} is idempotent; a concurrent second call waits for the first.
 */
public final class Lintel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lintel.class);

  /** The stages of a runtime's life, in order. */
  public enum State {
    /** Built, not started. */
    CREATED,
    /** Starting its components. */
    STARTING,
    /** Started; ready for traffic. */
    RUNNING,
    /** Shutting down: refusing new work and draining. */
    STOPPING,
    /** Stopped, or failed to start. */
    STOPPED
  }

  private final LocalCommandBus commands;
  private final LocalQueryBus queries;
  private final EventStore eventStore;
  private final CheckpointStore checkpoints;
  private final HealthRegistry health;
  private final List<Lifecycle> components;
  private final Duration shutdownTimeout;
  private final boolean shutdownHook;
  private final Object lifecycleLock = new Object();
  private final List<Lifecycle> started = new ArrayList<>();
  private volatile State state = State.CREATED;
  private @Nullable Thread hook;

  private Lintel(Builder builder) {
    this.commands = builder.commands != null ? builder.commands : LocalCommandBus.create();
    this.queries = builder.queries != null ? builder.queries : LocalQueryBus.create();
    this.eventStore =
        builder.eventStore != null
            ? builder.eventStore
            : InMemoryEventStore.create(
                JacksonEventSerializer.builder().classNamesForUnregisteredTypes().build());
    this.checkpoints =
        builder.checkpoints != null ? builder.checkpoints : new InMemoryCheckpointStore();
    this.health = HealthRegistry.create(builder.healthTimeout);
    this.shutdownTimeout = builder.shutdownTimeout;
    this.shutdownHook = builder.shutdownHook;
    health.register("lintel", Set.of(HealthGroup.READINESS), this::lifecycleHealth);
    if (builder.plugins != null) {
      PluginManager plugins = builder.plugins;
      health.register("plugins", Set.of(HealthGroup.READINESS), plugins.healthCheck());
      this.components = withPlugins(builder.components, plugins);
    } else {
      this.components = List.copyOf(builder.components);
    }
    for (ProjectionRunner projection : builder.projections) {
      health.register(projection.name(), Set.of(HealthGroup.READINESS), projection.health());
    }
    for (TieredCache<?, ?> cache : builder.caches) {
      health.register(cache.name(), Set.of(HealthGroup.READINESS), cache.healthCheck());
    }
    for (Pipeline pipeline : builder.pipelines) {
      health.register(pipeline.name(), Set.of(HealthGroup.READINESS), pipeline.healthCheck());
    }
  }

  /** Plugins start first (their handlers are in place before other components start). */
  private List<Lifecycle> withPlugins(List<Lifecycle> others, PluginManager plugins) {
    List<Lifecycle> all = new ArrayList<>();
    all.add(
        new Lifecycle() {
          @Override
          public String name() {
            return "plugins";
          }

          @Override
          public void start() {
            plugins.start(
                commands,
                queries,
                health,
                projection ->
                    ProjectionRunner.builder(eventStore, checkpoints, projection).build());
          }

          @Override
          public void stop() {
            plugins.stop();
          }
        });
    all.addAll(others);
    return List.copyOf(all);
  }

  /**
   * Starts building a runtime; everything has an embedded default.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the components in the order they were added.
   *
   * @return this runtime, for chaining after {@code build()}
   * @throws IllegalStateException if the runtime was already started or closed
   * @throws LintelException if a component fails to start; those started before it are stopped
   */
  public Lintel start() {
    synchronized (lifecycleLock) {
      if (state != State.CREATED) {
        throw new IllegalStateException("Lintel can be started once, but it is " + state);
      }
      state = State.STARTING;
      long begin = System.nanoTime();
      for (Lifecycle component : components) {
        try {
          component.start();
          started.add(component);
        } catch (Exception e) {
          log.error("Component '{}' failed to start; stopping the others", component.name(), e);
          stopComponents(System.nanoTime());
          shutdownBuses();
          state = State.STOPPED;
          throw new LintelException("Component '" + component.name() + "' failed to start", e);
        }
      }
      if (shutdownHook) {
        Thread thread = new Thread(this::close, "lintel-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(thread);
        hook = thread;
      }
      state = State.RUNNING;
      log.info(
          "Lintel started {} component(s) in {} ms",
          started.size(),
          (System.nanoTime() - begin) / 1_000_000);
      return this;
    }
  }

  /**
   * Hands out the command bus.
   *
   * @return the command bus
   */
  public CommandBus commands() {
    return commands;
  }

  /**
   * Hands out the query bus.
   *
   * @return the query bus
   */
  public QueryBus queries() {
    return queries;
  }

  /**
   * Hands out the event store: the one given to the builder, or an in-memory store whose events are
   * stored under their class names.
   *
   * @return the event store
   */
  public EventStore eventStore() {
    return eventStore;
  }

  /**
   * Hands out the health registry, to register checks and run reports.
   *
   * @return the health registry
   */
  public HealthRegistry health() {
    return health;
  }

  /**
   * Runs the liveness checks.
   *
   * @return the liveness report
   */
  public HealthReport liveness() {
    return health.report(HealthGroup.LIVENESS);
  }

  /**
   * Runs the readiness checks; the runtime's own check is DOWN unless it is {@link State#RUNNING}.
   *
   * @return the readiness report
   */
  public HealthReport readiness() {
    return health.report(HealthGroup.READINESS);
  }

  /**
   * Tells the runtime's stage.
   *
   * @return the current state
   */
  public State state() {
    return state;
  }

  /**
   * Shuts down gracefully: readiness DOWN, refuse new work, drain in-flight work up to the shutdown
   * timeout, stop components in reverse start order. Blocks until done; idempotent.
   */
  @Override
  public void close() {
    synchronized (lifecycleLock) {
      if (state == State.STOPPED) {
        return;
      }
      long begin = System.nanoTime();
      state = State.STOPPING;
      shutdownBuses();
      long inFlight = commands.inFlight() + queries.inFlight();
      log.info("Lintel stopping: new work refused, draining {} in flight", inFlight);
      boolean drained =
          commands.awaitTermination(shutdownTimeout)
              && queries.awaitTermination(remaining(begin, shutdownTimeout));
      if (!drained) {
        log.warn(
            "Shutdown timeout of {} ms passed with {} command(s) and {} query(ies) still running",
            shutdownTimeout.toMillis(),
            commands.inFlight(),
            queries.inFlight());
      }
      stopComponents(begin);
      removeShutdownHook();
      state = State.STOPPED;
      log.info("Lintel stopped in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }
  }

  private Health lifecycleHealth() {
    State now = state;
    return now == State.RUNNING ? Health.up() : Health.down("runtime is " + now);
  }

  private void shutdownBuses() {
    commands.shutdown();
    queries.shutdown();
  }

  /** Stops the started components in reverse order, each with what is left of the timeout. */
  private void stopComponents(long beginNanos) {
    for (int i = started.size() - 1; i >= 0; i--) {
      Lifecycle component = started.get(i);
      try {
        component.stop(remaining(beginNanos, shutdownTimeout));
      } catch (Exception e) {
        log.error("Component '{}' failed to stop; stopping the others", component.name(), e);
      }
    }
    started.clear();
  }

  private void removeShutdownHook() {
    Thread thread = hook;
    hook = null;
    if (thread != null && Thread.currentThread() != thread) {
      try {
        Runtime.getRuntime().removeShutdownHook(thread);
      } catch (IllegalStateException jvmAlreadyShuttingDown) {
        // The hook is running or about to; it will find the runtime stopped.
      }
    }
  }

  private static Duration remaining(long beginNanos, Duration timeout) {
    long left = timeout.toNanos() - (System.nanoTime() - beginNanos);
    return Duration.ofNanos(Math.max(0, left));
  }

  /** Builds a {@link Lintel} runtime. Not thread-safe; build once. */
  public static final class Builder {
    private @Nullable LocalCommandBus commands;
    private @Nullable LocalQueryBus queries;
    private @Nullable EventStore eventStore;
    private @Nullable CheckpointStore checkpoints;
    private final List<Lifecycle> components = new ArrayList<>();
    private final List<TieredCache<?, ?>> caches = new ArrayList<>();
    private final List<ProjectionRunner> projections = new ArrayList<>();
    private final List<Pipeline> pipelines = new ArrayList<>();
    private @Nullable PluginManager plugins;
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration healthTimeout = Duration.ofSeconds(5);
    private boolean shutdownHook;

    private Builder() {}

    /**
     * Uses a command bus built elsewhere, for example with interceptors; the runtime shuts it down.
     *
     * @param bus the bus
     * @return this builder
     * @throws IllegalStateException if a command bus was already set
     */
    public Builder commandBus(LocalCommandBus bus) {
      if (commands != null) {
        throw new IllegalStateException("commandBus was already set");
      }
      this.commands = Objects.requireNonNull(bus, "bus");
      return this;
    }

    /**
     * Uses a query bus built elsewhere, for example with interceptors; the runtime shuts it down.
     *
     * @param bus the bus
     * @return this builder
     * @throws IllegalStateException if a query bus was already set
     */
    public Builder queryBus(LocalQueryBus bus) {
      if (queries != null) {
        throw new IllegalStateException("queryBus was already set");
      }
      this.queries = Objects.requireNonNull(bus, "bus");
      return this;
    }

    /**
     * Uses this event store, for example {@code JdbcEventStore.postgres(dataSource)...build()}; an
     * in-memory store by default. Projections over it are added as components ({@code
     * ProjectionRunner}), so they start with the runtime and save their checkpoints on shutdown.
     *
     * @param store the event store
     * @return this builder
     * @throws IllegalStateException if an event store was already set
     */
    public Builder eventStore(EventStore store) {
      if (eventStore != null) {
        throw new IllegalStateException("eventStore was already set");
      }
      this.eventStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Loads plugins with the runtime: they start first, in dependency order, registering their
     * handlers on this runtime's buses and their health checks in its registry; they stop last, in
     * reverse order. Readiness reports them as {@code plugins} (DEGRADED while any failed).
     *
     * @param manager the plugins, for example {@code PluginManager.builder().classpath().build()}
     * @return this builder
     * @throws IllegalStateException if plugins were already set
     */
    public Builder plugins(PluginManager manager) {
      if (plugins != null) {
        throw new IllegalStateException("plugins were already set");
      }
      this.plugins = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /**
     * Keeps the checkpoints of the projections plugins contribute; by default in memory, so they
     * replay from the start after a restart.
     *
     * @param store the checkpoint store, usually beside the event store
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder checkpointStore(CheckpointStore store) {
      if (checkpoints != null) {
        throw new IllegalStateException("checkpointStore was already set");
      }
      this.checkpoints = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Adds a projection: the runtime starts it with the other components, stops it on graceful
     * shutdown (after in-flight commands drained) and saves its checkpoint, and reports it in
     * readiness as {@code projection:<name>} (DOWN with the position once it stopped on a failure).
     *
     * @param projection the projection's runner, built on this runtime's event store
     * @return this builder
     */
    public Builder projection(ProjectionRunner projection) {
      projections.add(Objects.requireNonNull(projection, "projection"));
      components.add(projection);
      return this;
    }

    /**
     * Adds a cache: the runtime closes it on shutdown (flushing its write-behind queue) and reports
     * its L2 circuit breaker in readiness as {@code cache-<namespace>} (DEGRADED while Redis is
     * unreachable, never DOWN, since the cache still answers).
     *
     * @param cache the cache; the host keeps its reference to use it
     * @return this builder
     */
    public Builder cache(TieredCache<?, ?> cache) {
      caches.add(Objects.requireNonNull(cache, "cache"));
      components.add(cache);
      return this;
    }

    /**
     * Adds a data pipeline: the runtime starts it with the other components and, on graceful
     * shutdown (after in-flight commands drained), closes it, so it stops reading, lets items in
     * flight finish and flushes partial batches, waiting no longer than its drain timeout nor past
     * the runtime's shutdown deadline ({@link Builder#shutdownTimeout}). Readiness reports it as
     * {@code pipeline:<name>} (DEGRADED while a stage is stuck, DOWN once it failed).
     *
     * @param pipeline the pipeline, built and not started
     * @return this builder
     */
    public Builder pipeline(Pipeline pipeline) {
      pipelines.add(Objects.requireNonNull(pipeline, "pipeline"));
      components.add(pipeline);
      return this;
    }

    /**
     * Adds a component whose lifecycle the runtime owns; components start in the order added.
     *
     * @param component the component
     * @return this builder
     */
    public Builder component(Lifecycle component) {
      components.add(Objects.requireNonNull(component, "component"));
      return this;
    }

    /**
     * Sets the deadline of graceful shutdown, 30 s by default: how long it waits for commands and
     * queries in flight, and then for components that drain (pipelines) with what is left.
     *
     * @param timeout the longest wait; zero means not to wait
     * @return this builder
     * @throws IllegalArgumentException if the timeout is negative
     */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException(
            "shutdownTimeout must not be negative but was " + timeout);
      }
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * Sets how long a health check may take unless it was registered with its own timeout; 5 s by
     * default.
     *
     * @param timeout the timeout
     * @return this builder
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Builder healthTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("healthTimeout must be positive but was " + timeout);
      }
      this.healthTimeout = timeout;
      return this;
    }

    /**
     * Registers a JVM shutdown hook at start that closes the runtime gracefully on SIGTERM or
     * {@link System#exit}. Off by default: hosts with their own shutdown handling call {@link
     * Lintel#close()} themselves.
     *
     * @param enabled whether to register the hook
     * @return this builder
     */
    public Builder shutdownHook(boolean enabled) {
      this.shutdownHook = enabled;
      return this;
    }

    /**
     * Builds the runtime; call {@link Lintel#start()} next.
     *
     * @return a new runtime in state {@link State#CREATED}
     */
    public Lintel build() {
      return new Lintel(this);
    }
  }
}
