package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import java.sql.SQLException;

/** The secondary lookup on three MariaDb databases created for the test. */
class MariaDbShardLookupIT extends ShardLookupProof {
  private final JdbcServer server = TestServers.mariadb();
  private final String base = ShardDatabases.fresh("lintel_lk");

  @Override
  JdbcServer createShard(int index) throws SQLException {
    return ShardDatabases.createDatabase(server, base + "_" + index);
  }

  @Override
  void dropShards() throws SQLException {
    for (int i = 0; i < 3; i++) {
      ShardDatabases.dropDatabase(server, base + "_" + i);
    }
  }
}
