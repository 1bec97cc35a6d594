package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.JdbcServer;
import javax.sql.DataSource;

class H2GlobalOrderIT extends GlobalOrderProof {
  private final JdbcServer h2 = JdbcStores.h2();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.H2;
  }

  @Override
  DataSource writerDataSource() {
    return h2.dataSource();
  }
}
