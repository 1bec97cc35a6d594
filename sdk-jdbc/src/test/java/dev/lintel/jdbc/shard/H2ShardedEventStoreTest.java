package dev.lintel.jdbc.shard;

import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import javax.sql.DataSource;

class H2ShardedEventStoreTest extends ShardedEventStoreProof {
  @Override
  ShardDatabases.Source databases() {
    return ShardDatabases.h2Databases();
  }

  @Override
  JdbcEventStore.Builder store(DataSource dataSource) {
    return JdbcEventStore.h2(dataSource);
  }
}
