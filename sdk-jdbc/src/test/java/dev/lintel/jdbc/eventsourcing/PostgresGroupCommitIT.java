package dev.lintel.jdbc.eventsourcing;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.testing.TestServers;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** On PostgreSQL the poisoned group fails at commit, through a deferred constraint trigger. */
class PostgresGroupCommitIT extends GroupCommitProof {
  private static HikariDataSource pool;

  @BeforeAll
  static void openPool() {
    pool = JdbcStores.pooled(TestServers.postgres(), 32, "group-commit");
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Override
  JdbcDialect dialect() {
    return JdbcDialect.POSTGRES;
  }

  @Override
  DataSource dataSource() {
    return pool;
  }

  @Override
  void poisonStreams(Statement statement) throws SQLException {
    statement.execute(
        "CREATE FUNCTION "
            + prefix
            + "poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF NEW.stream_id LIKE '%poison%' THEN RAISE EXCEPTION 'poisoned stream %',"
            + " NEW.stream_id; END IF; RETURN NULL; END $$");
    statement.execute(
        "CREATE CONSTRAINT TRIGGER "
            + prefix
            + "poison AFTER INSERT ON "
            + tables.events()
            + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
            + prefix
            + "poison()");
  }

  @Override
  void dropPoison(Statement statement) throws SQLException {
    statement.execute("DROP FUNCTION IF EXISTS " + prefix + "poison()");
  }
}
