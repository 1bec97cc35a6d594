package dev.lintel.jdbc.eventsourcing;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.testing.TestServers;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/**
 * The read-side proof on PostgreSQL, through a small pool: with a new connection (a forked backend)
 * per transaction, the exactly-once projection test alone took 38 s.
 */
class PostgresReadSideIT extends JdbcReadSideProof {
  private static final HikariDataSource DATA_SOURCE =
      JdbcStores.pooled(TestServers.postgres(), 4, "read-side");

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
