package dev.lintel.jdbc.shard;

import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.testing.JdbcServer;
import javax.sql.DataSource;

class H2ShardedEventStoreTest extends ShardedEventStoreProof {
  @Override
  JdbcServer createShard(int index) {
    return ShardDatabases.h2();
  }

  @Override
  JdbcEventStore.Builder store(DataSource dataSource) {
    return JdbcEventStore.h2(dataSource);
  }

  @Override
  void dropShards() {}
}
