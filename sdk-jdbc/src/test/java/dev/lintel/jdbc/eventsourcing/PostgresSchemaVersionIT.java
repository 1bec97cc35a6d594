package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.TestServers;
import javax.sql.DataSource;

class PostgresSchemaVersionIT extends SchemaVersionProof {
  private final DataSource dataSource = TestServers.postgres().dataSource();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.POSTGRES;
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }
}
