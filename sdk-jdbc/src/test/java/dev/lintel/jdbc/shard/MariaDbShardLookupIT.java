package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.SQLException;

/** The secondary lookup on three MariaDb databases created for the test. */
class MariaDbShardLookupIT extends ShardLookupProof {
  private final ShardDatabases.Fresh databases =
      new ShardDatabases.Fresh(TestServers.mariadb(), "lintel_lk");

  @Override
  JdbcServer createShard(int index) throws SQLException {
    return databases.create(index);
  }

  @Override
  void dropShards() throws SQLException {
    databases.dropAll();
  }
}
