/**
 * Lintel on JDBC: the event store with its PostgreSQL, MariaDB and H2 dialects, checkpoint and
 * snapshot stores, transactional projections, the JDBC health check, work on shards (executor,
 * writer, rebalancer, lookups, topology store and directory) and the pipeline's batch-insert sink.
 * The JDBC driver is the host's choice and is found through {@link java.sql.DriverManager} or the
 * host's {@code DataSource}.
 */
module dev.lintel.jdbc {
  requires transitive dev.lintel.core;
  requires transitive java.sql;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.lintel.jdbc.eventsourcing;
  exports dev.lintel.jdbc.health;
  exports dev.lintel.jdbc.pipeline;
  exports dev.lintel.jdbc.shard;
}
