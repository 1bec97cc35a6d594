package dev.lintel.jdbc.shard;

/** The secondary lookup on three in-memory H2 databases. */
class H2ShardLookupTest extends ShardLookupProof {
  @Override
  ShardDatabases.Source databases() {
    return ShardDatabases.h2Databases();
  }
}
