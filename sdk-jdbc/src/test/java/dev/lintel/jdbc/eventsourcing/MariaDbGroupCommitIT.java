package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.TestServers;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

class MariaDbGroupCommitIT extends GroupCommitProof {
  private final DataSource dataSource = TestServers.mariadb().dataSource();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.MARIADB;
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }

  @Override
  void poisonStreams(Statement statement) throws SQLException {
    statement.execute(
        "CREATE TRIGGER "
            + prefix
            + "poison BEFORE INSERT ON "
            + tables.events()
            + " FOR EACH ROW BEGIN IF NEW.stream_id LIKE '%poison%' THEN"
            + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poisoned stream'; END IF; END");
  }
}
