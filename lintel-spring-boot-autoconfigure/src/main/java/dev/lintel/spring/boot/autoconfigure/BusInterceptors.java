package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.Interceptor;
import dev.lintel.cqrs.Query;

/**
 * Interceptors another auto-configuration (or the application) adds to the auto-configured buses,
 * for example metrics. Beans of this type are applied in their order, the first outermost.
 *
 * @param commands the interceptor for the command bus
 * @param queries the interceptor for the query bus
 */
public record BusInterceptors(
    Interceptor<? super Command<?>> commands, Interceptor<? super Query<?>> queries) {}
