/**
 * Lintel's public contracts: what a host programs against and what a plugin jar compiles against.
 * Every package is exported; the module has no dependency beyond the JDK and the JSpecify nullness
 * annotations, which are needed only to compile.
 */
module dev.lintel.api {
  requires static transitive org.jspecify;

  exports dev.lintel;
  exports dev.lintel.cache;
  exports dev.lintel.cqrs;
  exports dev.lintel.eventsourcing;
  exports dev.lintel.flags;
  exports dev.lintel.gateway;
  exports dev.lintel.health;
  exports dev.lintel.pipeline;
  exports dev.lintel.plugin;
  exports dev.lintel.shard;
}
