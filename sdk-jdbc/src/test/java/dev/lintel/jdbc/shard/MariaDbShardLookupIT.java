package dev.lintel.jdbc.shard;

import dev.lintel.testing.TestServers;

/** The secondary lookup on three MariaDB databases created for the test. */
class MariaDbShardLookupIT extends ShardLookupProof {
  @Override
  ShardDatabases.Source databases() {
    return new ShardDatabases.Fresh(TestServers.mariadb(), "lintel_lk");
  }
}
