package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.TestServers;
import javax.sql.DataSource;

class PostgresStoredDataIT extends StoredDataProof {
  @Override
  JdbcDialect dialect() {
    return JdbcDialect.POSTGRES;
  }

  @Override
  DataSource newDataSource() {
    return TestServers.postgres().dataSource();
  }

  @Override
  String corruptMetadata() {
    return "'[\"not\", \"an object\"]'";
  }
}
