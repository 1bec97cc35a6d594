package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.SQLException;

/** The rebalance proof on four MariaDb databases created on the test server for the test. */
class MariaDbRebalanceIT extends RebalanceProof {
  private final ShardDatabases.Fresh databases =
      new ShardDatabases.Fresh(TestServers.mariadb(), "lintel_rb");

  @Override
  JdbcServer createShard(int index) throws SQLException {
    return databases.create(index);
  }

  @Override
  void dropShards() throws SQLException {
    databases.dropAll();
  }
}
