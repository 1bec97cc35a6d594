package dev.lintel.jdbc.eventsourcing;

import javax.sql.DataSource;

class H2StoredDataTest extends StoredDataProof {
  @Override
  JdbcDialect dialect() {
    return JdbcDialect.H2;
  }

  @Override
  DataSource newDataSource() {
    return JdbcStores.h2().dataSource();
  }

  @Override
  String corruptMetadata() {
    return "'{broken'";
  }
}
