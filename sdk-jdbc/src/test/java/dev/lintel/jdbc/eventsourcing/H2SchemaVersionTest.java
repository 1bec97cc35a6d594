package dev.lintel.jdbc.eventsourcing;

import javax.sql.DataSource;

class H2SchemaVersionTest extends SchemaVersionProof {
  private final DataSource dataSource = JdbcStores.h2().dataSource();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.H2;
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }
}
