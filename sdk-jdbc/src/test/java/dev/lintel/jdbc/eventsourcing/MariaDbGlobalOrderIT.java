package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.TestServers;
import javax.sql.DataSource;

class MariaDbGlobalOrderIT extends GlobalOrderProof {
  private final DataSource dataSource = TestServers.mariadb().dataSource();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.MARIADB;
  }

  @Override
  DataSource writerDataSource() {
    return dataSource;
  }
}
