package dev.lintel.jdbc.eventsourcing;

import dev.lintel.testing.JdbcServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.api.Trigger;

class H2GroupCommitTest extends GroupCommitProof {
  private final JdbcServer h2 = JdbcStores.h2();

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.H2;
  }

  @Override
  DataSource dataSource() {
    return h2.dataSource();
  }

  /** The same in-memory database, but waiting 300 ms for a lock instead of 30 s. */
  @Override
  DataSource shortLockWaitDataSource() {
    return new JdbcServer(
            "H2", h2.url().replace("LOCK_TIMEOUT=30000", "LOCK_TIMEOUT=300"), "sa", "")
        .dataSource();
  }

  @Override
  void poisonStreams(Statement statement) throws SQLException {
    statement.execute(
        "CREATE TRIGGER "
            + prefix
            + "poison BEFORE INSERT ON "
            + tables.events()
            + " FOR EACH ROW CALL '"
            + Poison.class.getName()
            + "'");
  }

  /** Fails the insert of an event into a stream named "...poison...". */
  public static final class Poison implements Trigger {
    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
      if (String.valueOf(newRow[1]).contains("poison")) {
        throw new SQLException("poisoned stream " + newRow[1]);
      }
    }

    @Override
    public void init(
        Connection connection,
        String schema,
        String trigger,
        String table,
        boolean before,
        int type) {}

    @Override
    public void close() {}

    @Override
    public void remove() {}
  }
}
