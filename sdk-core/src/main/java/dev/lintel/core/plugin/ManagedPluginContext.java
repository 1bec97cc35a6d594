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
import dev.lintel.health.HealthCheck;
import dev.lintel.health.HealthGroup;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one plugin sees of the host, from one start to the next stop. It records what the plugin
 * registers so that {@link #close()} can undo it, and refuses registrations once closed (a plugin's
 * own thread may still try after it stopped). Thread-safe.
 */
final class ManagedPluginContext implements PluginContext {
  private static final Logger log = LoggerFactory.getLogger(ManagedPluginContext.class);

  private final String pluginId;
  private final Map<String, String> config;
  private final @Nullable ClassLoader loader;
  private final PluginHost host;
  private final PluginFilters filters;
  private final List<Registration> registrations = new ArrayList<>();
  private boolean closed;

  ManagedPluginContext(
      String pluginId,
      Map<String, String> config,
      @Nullable ClassLoader loader,
      PluginHost host,
      PluginFilters filters) {
    this.pluginId = pluginId;
    this.config = config;
    this.loader = loader;
    this.host = host;
    this.filters = filters;
  }

  private synchronized void keep(Supplier<Registration> register) {
    if (closed) {
      throw new PluginException(
          pluginId, "Plugin '" + pluginId + "' is not running; it cannot register anything", null);
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
        log.warn("Undoing a registration of plugin '{}' failed", pluginId, e);
      }
    }
    registrations.clear();
  }

  @Override
  public String pluginId() {
    return pluginId;
  }

  @Override
  public Map<String, String> config() {
    return config;
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
                .register("plugin:" + pluginId + ":" + name, Set.of(HealthGroup.READINESS), check));
  }

  @Override
  public void filter(String name, int order, Filter filter) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(filter, "filter");
    keep(() -> filters.add(pluginId, name, order, filter, loader));
  }

  @Override
  public void projection(Projection projection) {
    Objects.requireNonNull(projection, "projection");
    Function<Projection, ProjectionRunner> runners = host.projections();
    if (runners == null) {
      throw new PluginException(
          pluginId,
          "Plugin '"
              + pluginId
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
