package dev.lintel.jdbc.shard;

import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The sharded event store on two PostgreSQL databases created for the test. */
class PostgresShardedEventStoreIT extends ShardedEventStoreProof {
  private final JdbcServer server = TestServers.postgres();
  private final String base = ShardDatabases.fresh("lintel_es");

  @Override
  JdbcServer createShard(int index) throws SQLException {
    return ShardDatabases.createDatabase(server, base + "_" + index);
  }

  @Override
  JdbcEventStore.Builder store(DataSource dataSource) {
    return JdbcEventStore.postgres(dataSource);
  }

  @Override
  void dropShards() throws SQLException {
    for (int i = 0; i < 2; i++) {
      ShardDatabases.dropDatabase(server, base + "_" + i);
    }
  }
}
