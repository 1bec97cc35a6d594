package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;

class PostgresTopologyStoreIT extends TopologyStoreProof {
  @Override
  JdbcServer server() {
    return TestServers.postgres();
  }

  @Override
  boolean pushes() {
    return true;
  }
}
