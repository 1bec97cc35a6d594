package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.TestServers;
import javax.sql.DataSource;

class MariaDbSchemaVersionIT extends SchemaVersionProof {
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
