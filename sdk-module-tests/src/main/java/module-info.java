/**
 * A host application written as a named module, as a user on the module path writes one: it
 * requires the SDK modules it uses, provides a plugin through {@code provides ... with}, and opens
 * its event and value types to Jackson, which reads and writes them reflectively.
 */
module dev.lintel.moduletests {
  requires dev.lintel.core;
  requires dev.lintel.jdbc;
  requires dev.lintel.redis;
  requires dev.lintel.micrometer;
  requires dev.lintel.openfeature;
  requires com.h2database;

  opens dev.lintel.moduletests to
      com.fasterxml.jackson.databind;

  provides dev.lintel.plugin.Plugin with
      dev.lintel.moduletests.GreetingPlugin;
}
