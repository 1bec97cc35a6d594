package dev.lintel.jdbc.shard;

import dev.lintel.testing.TestServers;

/** The rebalance proof on four MariaDB databases created on the test server for the test. */
class MariaDbRebalanceIT extends RebalanceProof {
  @Override
  ShardDatabases.Source databases() {
    return new ShardDatabases.Fresh(TestServers.mariadb(), "lintel_rb");
  }
}
