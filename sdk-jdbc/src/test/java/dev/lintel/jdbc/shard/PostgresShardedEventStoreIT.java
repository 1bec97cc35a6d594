package dev.lintel.jdbc.shard;

import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The sharded event store on two PostgreSQL databases created for the test. */
class PostgresShardedEventStoreIT extends ShardedEventStoreProof {
  private final ShardDatabases.Fresh databases =
      new ShardDatabases.Fresh(TestServers.postgres(), "lintel_es");

  @Override
  JdbcServer createShard(int index) throws SQLException {
    return databases.create(index);
  }

  @Override
  JdbcEventStore.Builder store(DataSource dataSource) {
    return JdbcEventStore.postgres(dataSource);
  }

  @Override
  void dropShards() throws SQLException {
    databases.dropAll();
  }
}
