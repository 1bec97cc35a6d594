package dev.lintel.jdbc.shard;

import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.testing.TestServers;
import javax.sql.DataSource;

/** The sharded event store on two PostgreSQL databases created for the test. */
class PostgresShardedEventStoreIT extends ShardedEventStoreProof {
  @Override
  ShardDatabases.Source databases() {
    return new ShardDatabases.Fresh(TestServers.postgres(), "lintel_es");
  }

  @Override
  JdbcEventStore.Builder store(DataSource dataSource) {
    return JdbcEventStore.postgres(dataSource);
  }
}
