/**
 * Lintel's in-process implementations and the {@link dev.lintel.core.Lintel} runtime. Exports one
 * package per capability; {@code dev.lintel.core.internal} stays unexported. Jackson, resilience4j
 * and SLF4J are required transitively because types of theirs appear in public signatures (an
 * {@code ObjectMapper} for codecs and serializers, a circuit-breaker configuration, a logger).
 * {@code java.net.http} is required transitively as well: a JWK Set key source can be given the
 * host's {@code HttpClient}. Caffeine is required but not transitively: it is the tiered cache's
 * local level, and none of its types appears in a public signature (the cache reads time through
 * {@link dev.lintel.TimeSource}).
 *
 * <p>Plugins are discovered with {@link java.util.ServiceLoader} ({@code uses
 * dev.lintel.plugin.Plugin}): a plugin module declares {@code provides dev.lintel.plugin.Plugin
 * with ...}; a plugin on the class path or in a plugin jar lists itself in {@code
 * META-INF/services/dev.lintel.plugin.Plugin}.
 *
 * <p>The module provides a Jackson {@code Module} ({@code GatewayJacksonModule}: the JSON form of
 * gateway responses), so that mappers built with {@code findAndAddModules()} can keep responses in
 * a shared cache level.
 */
module dev.lintel.core {
  requires transitive dev.lintel.api;
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires transitive io.github.resilience4j.circuitbreaker;
  requires transitive org.slf4j;
  requires transitive java.net.http;
  requires static transitive org.jspecify;

  exports dev.lintel.core;
  exports dev.lintel.core.cache;
  exports dev.lintel.core.cqrs;
  exports dev.lintel.core.eventsourcing;
  exports dev.lintel.core.flags;
  exports dev.lintel.core.gateway;
  exports dev.lintel.core.health;
  exports dev.lintel.core.pipeline;
  exports dev.lintel.core.plugin;
  exports dev.lintel.core.shard;

  uses dev.lintel.plugin.Plugin;

  provides com.fasterxml.jackson.databind.Module with
      dev.lintel.core.gateway.GatewayJacksonModule;
}
