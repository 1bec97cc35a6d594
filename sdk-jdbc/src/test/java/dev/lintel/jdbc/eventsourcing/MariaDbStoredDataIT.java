package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.TestServers;
import javax.sql.DataSource;

class MariaDbStoredDataIT extends StoredDataProof {
  @Override
  JdbcDialect dialect() {
    return JdbcDialect.MARIADB;
  }

  @Override
  DataSource newDataSource() {
    return TestServers.mariadb().dataSource();
  }

  @Override
  String corruptMetadata() {
    return "'{broken'";
  }
}
