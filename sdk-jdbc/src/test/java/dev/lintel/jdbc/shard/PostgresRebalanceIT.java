package dev.lintel.jdbc.shard;

import dev.lintel.testing.TestServers;

/** The rebalance proof on four PostgreSQL databases created on the test server for the test. */
class PostgresRebalanceIT extends RebalanceProof {
  @Override
  ShardDatabases.Source databases() {
    return new ShardDatabases.Fresh(TestServers.postgres(), "lintel_rb");
  }
}
