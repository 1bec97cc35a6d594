package dev.lintel.jdbc.shard;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.testing.TestServers;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class MariaDbTopologyStoreIT extends TopologyStoreProof {
  private static HikariDataSource pool;

  @BeforeAll
  static void open() {
    pool = ShardDatabases.pooled(TestServers.mariadb(), 10);
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  @Override
  DataSource dataSource() {
    return pool;
  }
}
