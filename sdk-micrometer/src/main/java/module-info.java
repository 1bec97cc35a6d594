/**
 * Lintel's Micrometer binder: meters for command and query dispatch, tiered caches, event stores,
 * projections, the gateway and feature flags. Micrometer is required transitively, since its {@code
 * MeterBinder} and {@code MeterRegistry} appear in the API; sdk-jdbc only statically, for hosts
 * that meter a JDBC event store's own counters.
 */
module dev.lintel.micrometer {
  requires transitive dev.lintel.core;
  requires transitive micrometer.core;
  requires static transitive dev.lintel.jdbc;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.lintel.micrometer;
}
