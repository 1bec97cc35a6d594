package dev.lintel.core.plugin;

import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.health.HealthChecks;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the host hands the plugins when they start.
 *
 * @param commands the host's command bus
 * @param queries the host's query bus
 * @param health the host's health registry
 * @param projections builds the runner of a plugin's projection; null if the host runs no event
 *     store
 */
record PluginHost(
    CommandBus commands,
    QueryBus queries,
    HealthChecks health,
    @Nullable Function<Projection, ProjectionRunner> projections) {}
