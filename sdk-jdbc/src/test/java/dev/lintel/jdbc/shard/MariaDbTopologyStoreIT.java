package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;

class MariaDbTopologyStoreIT extends TopologyStoreProof {
  @Override
  JdbcServer server() {
    return TestServers.mariadb();
  }
}
