package dev.lintel.jdbc.eventsourcing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.eventsourcing.EventSerializer;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.testing.ContractEvents;
import dev.lintel.testing.JdbcServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Builds JDBC event stores on fresh tables of their own, so tests and nodes never share rows.
 * Public for the tests of the other packages (pipeline sinks that keep checkpoints in these
 * tables).
 */
@SuppressWarnings("exports") // test code: the test-support and pool types need no module export
public final class JdbcStores {
  private JdbcStores() {}

  public static EventSerializer contractSerializer() {
    JacksonEventSerializer.Builder builder = JacksonEventSerializer.builder();
    ContractEvents.types().forEach(builder::type);
    return builder.build();
  }

  public static String freshPrefix() {
    return "t"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT)
        + "_";
  }

  public static JdbcServer h2() {
    return new JdbcServer(
        "H2",
        "jdbc:h2:mem:es-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000",
        "sa",
        "");
  }

  /**
   * A small pool over a test server, as a host would give the store: opening a PostgreSQL
   * connection forks a backend (several milliseconds), which used to dominate the concurrency
   * proofs. Close it when done.
   */
  public static HikariDataSource pooled(JdbcServer server, int size, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.url());
    config.setUsername(server.user());
    config.setPassword(server.password());
    config.setMaximumPoolSize(size);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  public static JdbcEventStore.Builder builder(JdbcDialect dialect, DataSource dataSource) {
    return switch (dialect) {
      case POSTGRES -> JdbcEventStore.postgres(dataSource);
      case MARIADB -> JdbcEventStore.mariadb(dataSource);
      case H2 -> JdbcEventStore.h2(dataSource);
    };
  }

  public static JdbcEventStore create(JdbcDialect dialect, DataSource dataSource, String prefix) {
    return builder(dialect, dataSource)
        .serializer(contractSerializer())
        .tablePrefix(prefix)
        .maxEventBytes(4096)
        .build()
        .createSchema();
  }

  public static void dropTables(DataSource dataSource, String prefix) {
    TableNames tables = new TableNames(prefix);
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String table :
          List.of(
              tables.events(),
              tables.streams(),
              tables.positions(),
              tables.snapshots(),
              tables.checkpoints(),
              tables.schemaVersion())) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
      if (connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
        statement.execute(
            "DROP FUNCTION IF EXISTS "
                + tables.appendFunction()
                + "(VARCHAR, BIGINT, UUID[], VARCHAR[], TEXT[], TEXT[], TIMESTAMPTZ)");
        statement.execute(
            "DROP FUNCTION IF EXISTS "
                + tables.appendOneFunction()
                + "(VARCHAR, BIGINT, UUID[], VARCHAR[], TEXT[], TEXT[], TIMESTAMPTZ, INT, TEXT)");
        statement.execute(
            "DROP FUNCTION IF EXISTS "
                + tables.appendGroupFunction()
                + "(VARCHAR[], BIGINT[], INT[], INT[], UUID[], VARCHAR[], TEXT[], TEXT[], TIMESTAMPTZ[],"
                + " INT, TEXT)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("dropping test tables " + prefix + "* failed", e);
    }
  }
}
