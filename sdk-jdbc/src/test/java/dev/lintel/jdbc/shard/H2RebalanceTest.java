package dev.lintel.jdbc.shard;

/** The rebalance proof on four in-memory H2 databases (writers of a shard queue on its fence). */
class H2RebalanceTest extends RebalanceProof {
  @Override
  ShardDatabases.Source databases() {
    return ShardDatabases.h2Databases();
  }
}
