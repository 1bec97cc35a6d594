package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.JdbcServer;
import javax.sql.DataSource;

class H2ReadSideTest extends JdbcReadSideProof {
  private final JdbcServer h2 = JdbcStores.h2();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.H2;
  }

  @Override
  DataSource dataSource() {
    return h2.dataSource();
  }
}
