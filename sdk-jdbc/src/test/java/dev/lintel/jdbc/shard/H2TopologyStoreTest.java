package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;

class H2TopologyStoreTest extends TopologyStoreProof {
  @Override
  JdbcServer server() {
    return ShardDatabases.h2();
  }
}
