package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;

/** The rebalance proof on four in-memory H2 databases (writers of a shard queue on its fence). */
class H2RebalanceTest extends RebalanceProof {
  @Override
  JdbcServer createShard(int index) {
    return ShardDatabases.h2();
  }

  @Override
  void dropShards() {}
}
