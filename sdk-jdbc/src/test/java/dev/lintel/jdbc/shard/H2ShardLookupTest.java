package dev.lintel.jdbc.shard;

import dev.lintel.testing.JdbcServer;

class H2ShardLookupTest extends ShardLookupProof {
  @Override
  JdbcServer createShard(int index) {
    return ShardDatabases.h2();
  }

  @Override
  void dropShards() {}
}
