package dev.lintel.jdbc.shard;

import dev.lintel.testing.TestServers;

/** The secondary lookup on three PostgreSQL databases created for the test. */
class PostgresShardLookupIT extends ShardLookupProof {
  @Override
  ShardDatabases.Source databases() {
    return new ShardDatabases.Fresh(TestServers.postgres(), "lintel_lk");
  }
}
