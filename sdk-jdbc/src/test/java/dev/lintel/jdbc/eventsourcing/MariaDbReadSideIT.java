package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.TestServers;
import javax.sql.DataSource;

class MariaDbReadSideIT extends JdbcReadSideProof {
  private final DataSource dataSource = TestServers.mariadb().dataSource();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.MARIADB;
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }
}
