package dev.lintel.jdbc.pipeline;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.jdbc.eventsourcing.JdbcDialect;
import dev.lintel.jdbc.eventsourcing.JdbcStores;
import dev.lintel.testing.TestServers;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

class PostgresCheckpointedSinkIT extends CheckpointedSinkProof {
  private static final HikariDataSource DATA_SOURCE =
      JdbcStores.pooled(TestServers.postgres(), 4, "checkpointed-sink");

  @AfterAll
  static void closePool() {
    DATA_SOURCE.close();
  }

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.POSTGRES;
  }

  @Override
  DataSource dataSource() {
    return DATA_SOURCE;
  }
}
