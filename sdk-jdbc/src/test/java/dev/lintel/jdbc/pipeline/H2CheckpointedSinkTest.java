package dev.lintel.jdbc.pipeline;

import dev.lintel.jdbc.eventsourcing.JdbcDialect;
import dev.lintel.jdbc.eventsourcing.JdbcStores;
import dev.lintel.testing.JdbcServer;
import javax.sql.DataSource;

class H2CheckpointedSinkTest extends CheckpointedSinkProof {
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
