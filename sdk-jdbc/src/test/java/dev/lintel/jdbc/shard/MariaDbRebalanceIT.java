package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.SQLException;

/** The rebalance proof on four MariaDb databases created on the test server for the test. */
class MariaDbRebalanceIT extends RebalanceProof {
  private final JdbcServer server = TestServers.mariadb();
  private final String base = ShardDatabases.fresh("lintel_rb");

  @Override
  JdbcServer createShard(int index) throws SQLException {
    return ShardDatabases.createDatabase(server, base + "_" + index);
  }

  @Override
  void dropShards() throws SQLException {
    for (int i = 0; i < 4; i++) {
      ShardDatabases.dropDatabase(server, base + "_" + i);
    }
  }
}
