package dev.lintel.plugin;

import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.CommandHandler;
import dev.lintel.cqrs.Query;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.cqrs.QueryHandler;
import dev.lintel.health.HealthCheck;
import java.util.Map;

/**
 * A plugin's view of the host: its configuration section, the buses to dispatch on, and the
 * registration of its extensions. Everything registered here is unregistered when the plugin stops
 * or fails, so a plugin never has to undo its own registrations. Thread-safe.
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
}
