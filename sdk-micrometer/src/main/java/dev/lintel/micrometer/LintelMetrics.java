package dev.lintel.micrometer;

import dev.lintel.Lifecycle;
import dev.lintel.TimeSource;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cqrs.Interceptors;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.core.flags.Flags;
import dev.lintel.core.gateway.CircuitBreakingHandler;
import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.cqrs.Interceptor;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Handler;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Micrometer meters for the components of a Lintel runtime: command and query dispatch, tiered
 * caches, event stores, projections, the gateway and feature flags. The table of meter names is in
 * {@code docs/integrations.md}.
 *
 * <pre>{@code
 * LintelMetrics metrics = LintelMetrics.builder().cache(users).flags(flags).build();
 * Lintel lintel = Lintel.builder()
 *     .commandBus(LocalCommandBus.builder().interceptor(metrics.commandTiming()).build())
 *     .queryBus(LocalQueryBus.builder().interceptor(metrics.queryTiming()).build())
 *     .eventStore(metrics.eventStore(JdbcEventStore.postgres(dataSource).build()))
 *     .component(metrics) // its meters go when the runtime closes
 *     .build()
 *     .start();
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p><b>Binding</b>: {@link #bindTo} registers every meter in the registry; binding the same
 * registry again registers nothing more, and binding several registries feeds each. Components that
 * keep counters (caches, flags, the JDBC store, projections) are read when the registry scrapes;
 * dispatch, appends and gateway requests are recorded as they happen, and before any registry is
 * bound they are not recorded at all.
 *
 * <p><b>Closing</b> ({@link #close()}, or {@link #stop()} when the runtime owns it as a component)
 * removes every meter this binder registered from every registry it was bound to, so a closed
 * runtime leaves no meters behind; later records are dropped and {@link #bindTo} refuses.
 *
 * <p><b>Cardinality</b>: tags take bounded values. Message types beyond {@link
 * Builder#maxMessageTypes} share {@code type=other}; statuses are HTTP codes; names of caches,
 * flags, stores, projections and routes come from the host.
 *
 * <p>Thread-safe.
 */
public final class LintelMetrics implements MeterBinder, Lifecycle, AutoCloseable {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private final MeterSink sink = new MeterSink();
  private final TimeSource time;
  private final DispatchMetrics commands;
  private final DispatchMetrics queries;

  private LintelMetrics(Builder builder) {
    this.time = builder.time;
    for (Part part : builder.parts) {
      sink.fixed(registry -> part.register(sink, registry, time));
    }
    this.commands =
        new DispatchMetrics(
            "lintel.commands", "Command dispatches by message type", sink, builder.maxTypes);
    this.queries =
        new DispatchMetrics(
            "lintel.queries", "Query dispatches by message type", sink, builder.maxTypes);
  }

  /**
   * Starts describing what to meter.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers every meter in the registry; binding the same registry again changes nothing.
   *
   * @param registry the registry
   * @throws IllegalStateException if this binder was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    sink.bind(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Gives an interceptor for {@code LocalCommandBus.builder().interceptor(...)} that times each
   * command ({@code lintel.commands}, tags {@code type} and {@code outcome}).
   *
   * @param <M> the messages it accepts
   * @return the interceptor; the same meters however often it is asked for
   */
  public <M> Interceptor<M> commandTiming() {
    return Interceptors.timing(commands);
  }

  /**
   * Gives an interceptor for {@code LocalQueryBus.builder().interceptor(...)} that times each query
   * ({@code lintel.queries}, tags {@code type} and {@code outcome}).
   *
   * @param <M> the messages it accepts
   * @return the interceptor
   */
  public <M> Interceptor<M> queryTiming() {
    return Interceptors.timing(queries);
  }

  /**
   * Wraps an event store so that appends are timed and their events counted, tagged {@code
   * store=default}; reads and subscriptions pass through.
   *
   * @param store the store to use
   * @return the store to hand to the runtime
   */
  public EventStore eventStore(EventStore store) {
    return eventStore("default", store);
  }

  /**
   * Wraps an event store so that appends are timed and their events counted, tagged with the name.
   *
   * @param name the {@code store} tag
   * @param store the store to use
   * @return the store to hand to the runtime
   * @throws IllegalArgumentException if the name is not letters, digits, {@code . _ -}
   */
  public EventStore eventStore(String name, EventStore store) {
    return new MeteredEventStore(
        Objects.requireNonNull(store, "store"), checkName(name), time, sink);
  }

  /**
   * Gives the filter to add first to a gateway {@code Pipeline}: it times every request by status
   * and counts rate-limited requests and bearer-token rejections.
   *
   * @return the filter
   */
  public Filter gatewayFilter() {
    return new GatewayMetricsFilter(time, sink);
  }

  /**
   * Wraps a route's handler so that its requests are timed by route and status.
   *
   * @param route the {@code route} tag, for example {@code orders.get}
   * @param handler the handler
   * @return the handler to register with the pipeline
   * @throws IllegalArgumentException if the route name is not letters, digits, {@code . _ -}
   */
  public Handler route(String route, Handler handler) {
    return new RouteMetrics(
        checkName(route), Objects.requireNonNull(handler, "handler"), time, sink);
  }

  @Override
  public String name() {
    return "metrics";
  }

  /** Does nothing: the binder works once bound. */
  @Override
  public void start() {}

  /** Closes: removes the meters, as the runtime stops its components. */
  @Override
  public void stop() {
    close();
  }

  /** Removes every meter this binder registered from every registry; idempotent. */
  @Override
  public void close() {
    sink.close();
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "A tag name must be 1-100 letters, digits, '.', '_' or '-', but was '" + name + "'");
    }
    return name;
  }

  /** Registers one component's meters in a registry. */
  @FunctionalInterface
  private interface Part {
    void register(MeterSink sink, MeterRegistry registry, TimeSource time);
  }

  /** Says which components to meter. Not thread-safe; build once. */
  public static final class Builder {
    private final List<Part> parts = new ArrayList<>();
    private int maxTypes = 100;
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * Meters a tiered cache ({@code cache.*}, tagged {@code cache=<namespace>}).
     *
     * @param cache the cache
     * @return this builder
     */
    public Builder cache(TieredCache<?, ?> cache) {
      Objects.requireNonNull(cache, "cache");
      parts.add((sink, registry, clock) -> CacheMetrics.register(cache, sink, registry));
      return this;
    }

    /**
     * Meters how far a projection is behind its store's head.
     *
     * @param projection the projection's runner
     * @return this builder
     */
    public Builder projection(ProjectionRunner projection) {
      Objects.requireNonNull(projection, "projection");
      parts.add(
          (sink, registry, clock) -> ProjectionMetrics.register(projection, clock, sink, registry));
      return this;
    }

    /**
     * Meters a data pipeline: items by where they ended, and per stage items in and out, failed
     * attempts, queue depth and busy workers.
     *
     * @param pipeline the pipeline
     * @return this builder
     */
    public Builder pipeline(Pipeline pipeline) {
      Objects.requireNonNull(pipeline, "pipeline");
      parts.add((sink, registry, clock) -> PipelineMetrics.register(pipeline, sink, registry));
      return this;
    }

    /**
     * Meters a flag evaluator's evaluations, unknown flags and errors, tagged {@code
     * flags=default}.
     *
     * @param flags the evaluator
     * @return this builder
     */
    public Builder flags(Flags flags) {
      return flags("default", flags);
    }

    /**
     * Meters a flag evaluator, tagged with the name.
     *
     * @param name the {@code flags} tag
     * @param flags the evaluator
     * @return this builder
     * @throws IllegalArgumentException if the name is not letters, digits, {@code . _ -}
     */
    public Builder flags(String name, Flags flags) {
      checkName(name);
      Objects.requireNonNull(flags, "flags");
      parts.add((sink, registry, clock) -> FlagMetrics.register(name, flags, sink, registry));
      return this;
    }

    /**
     * Meters a JDBC event store's own counters (position-lock wait, visibility gaps), tagged with
     * the name; time appends with {@link LintelMetrics#eventStore(String, EventStore)}.
     *
     * @param name the {@code store} tag
     * @param store the store
     * @return this builder
     * @throws IllegalArgumentException if the name is not letters, digits, {@code . _ -}
     */
    public Builder jdbcEventStore(String name, JdbcEventStore store) {
      checkName(name);
      Object jdbc = Objects.requireNonNull(store, "store");
      parts.add(
          (sink, registry, clock) -> JdbcEventStoreMetrics.register(name, jdbc, sink, registry));
      return this;
    }

    /**
     * Meters a gateway route's circuit-breaker state.
     *
     * @param route the {@code route} tag
     * @param handler the route's circuit-breaking handler
     * @return this builder
     * @throws IllegalArgumentException if the route name is not letters, digits, {@code . _ -}
     */
    public Builder circuitBreaker(String route, CircuitBreakingHandler handler) {
      checkName(route);
      Objects.requireNonNull(handler, "handler");
      parts.add((sink, registry, clock) -> BreakerMetrics.register(route, handler, sink, registry));
      return this;
    }

    /**
     * Bounds the {@code type} tag of dispatch timers: the first this many message types get their
     * class name, later ones share {@code other}. 100 by default.
     *
     * @param types the most distinct types
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxMessageTypes(int types) {
      if (types <= 0) {
        throw new IllegalArgumentException("maxMessageTypes must be positive but was " + types);
      }
      this.maxTypes = types;
      return this;
    }

    /**
     * Sets the clock for latencies and the projection lag in time; the system clock by default.
     *
     * @param timeSource the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.time = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Builds the binder; bind it with {@link LintelMetrics#bindTo}.
     *
     * @return the binder
     */
    public LintelMetrics build() {
      return new LintelMetrics(this);
    }
  }
}
