package dev.lintel.plugin;

import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.CommandHandler;
import dev.lintel.cqrs.Query;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.cqrs.QueryHandler;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.gateway.Filter;
import dev.lintel.health.HealthCheck;
import java.util.Map;

/**
 * A plugin's view of the host: its configuration section, the buses to dispatch on, and the
 * registration of its extensions (command and query handlers, request filters, projections, health
 * checks). Everything registered here is unregistered when the plugin stops or fails, so a plugin
 * never has to undo its own registrations. Thread-safe.
 */
public interface PluginContext {

  /**
   * Names the plugin this context belongs to.
   *
   * @return the plugin's id
   */
  String pluginId();

  /**
   * Reads the plugin's own configuration section.
   *
   * @return the settings given to the host for this plugin id; empty if none
   */
  Map<String, String> config();

  /**
   * Dispatches commands to the host's handlers and other plugins'.
   *
   * @return the command bus
   */
  CommandBus commands();

  /**
   * Dispatches queries to the host's handlers and other plugins'.
   *
   * @return the query bus
   */
  QueryBus queries();

  /**
   * Handles a command type for the host.
   *
   * @param type the command class
   * @param handler the handler
   * @param <C> the command type
   * @param <R> its result type
   * @throws dev.lintel.cqrs.DuplicateHandlerException if the type already has a handler
   */
  <C extends Command<R>, R> void handle(Class<C> type, CommandHandler<C, R> handler);

  /**
   * Answers a query type for the host.
   *
   * @param type the query class
   * @param handler the handler
   * @param <Q> the query type
   * @param <R> its result type
   * @throws dev.lintel.cqrs.DuplicateHandlerException if the type already has a handler
   */
  <Q extends Query<R>, R> void answer(Class<Q> type, QueryHandler<Q, R> handler);

  /**
   * Adds a readiness health check, reported as {@code plugin:<id>:<name>}.
   *
   * @param name the check's name within the plugin
   * @param check the check
   */
  void healthCheck(String name, HealthCheck check);

  /**
   * Adds a request filter to the host's pipelines, at the place where the host put the plugins'
   * filters. Plugin filters run by ascending {@code order}, then by plugin id, then in the order
   * they were added. An exception the filter throws (not one that only passed through it from
   * further down the pipeline) fails that one request with a 500 and is logged naming the plugin
   * and the filter; other requests, filters and plugins are not affected.
   *
   * @param name the filter's name within the plugin, for logs
   * @param order where it runs among plugin filters; lower runs first (further out)
   * @param filter the filter
   */
  void filter(String name, int order, Filter filter);

  /**
   * Runs a projection on the host's event store from its stored checkpoint, while the plugin runs;
   * its checkpoint is stored when the plugin stops. Its health is reported as {@code
   * plugin:<id>:projection:<name>}.
   *
   * @param projection the projection
   * @throws PluginException if the host runs no event store
   */
  void projection(Projection projection);
}
